import { Transform } from 'class-transformer';

/** Trims string input (New API trims usernames); leaves other types for the validators to reject. */
export const Trim = (): PropertyDecorator => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
