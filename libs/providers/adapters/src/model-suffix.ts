/**
 * Model-name suffixes that ask for a behaviour rather than name a model (New API compatible):
 * - `-high` / `-medium` / `-low` on reasoning models (o1, o3, o4, gpt-5 …) set `reasoning_effort`;
 * - `-thinking` turns on Claude extended thinking.
 * The suffix is stripped before the name goes upstream; pricing looks the full name up first.
 */
export interface ModelSuffix {
  /** The model name to send upstream. */
  baseModel: string;
  reasoningEffort?: 'low' | 'medium' | 'high';
  thinking?: boolean;
}

const EFFORT_SUFFIX = /^(.+)-(high|medium|low)$/;
const REASONING_MODEL = /^(o\d|gpt-5)/;

export function parseModelSuffix(model: string): ModelSuffix {
  const effort = EFFORT_SUFFIX.exec(model);
  if (effort && REASONING_MODEL.test(effort[1])) {
    return { baseModel: effort[1], reasoningEffort: effort[2] as 'low' | 'medium' | 'high' };
  }
  if (model.endsWith('-thinking') && model.length > '-thinking'.length) {
    return { baseModel: model.slice(0, -'-thinking'.length), thinking: true };
  }
  return { baseModel: model };
}
