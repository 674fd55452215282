/** Reading task rows for the Tasks page: Suno results (clips or lyrics) and status badges. */

export interface SunoClip {
  id: string;
  title: string;
  audioUrl: string;
  imageUrl: string;
  /** Lyrics of the clip (metadata.prompt), or of a lyrics task (text). */
  lyrics: string;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The `data` column of a Suno task: MUSIC → clips, LYRICS → one entry with the text. */
export function sunoClips(data: string | null | undefined): SunoClip[] {
  if (!data) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return [];
  }
  const items = Array.isArray(parsed) ? parsed : parsed && typeof parsed === 'object' ? [parsed] : [];
  return items
    .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null)
    .map((item) => {
      const metadata = typeof item.metadata === 'object' && item.metadata !== null ? (item.metadata as Record<string, unknown>) : {};
      return {
        id: str(item.id),
        title: str(item.title),
        audioUrl: str(item.audio_url),
        imageUrl: str(item.image_url),
        lyrics: str(metadata.prompt) || str(item.text),
      };
    });
}

/** Badge class of a task status. */
export function taskStatusBadge(status: string): string {
  if (status === 'SUCCESS') return 'badge badge-ok';
  if (status === 'FAILURE' || status === 'CANCEL') return 'badge badge-off';
  return 'badge badge-warn';
}
