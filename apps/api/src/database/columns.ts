import { Column, ColumnOptions, ValueTransformer } from 'typeorm';

/**
 * MySQL and PostgreSQL drivers return BIGINT as a string; quota and timestamps fit in a double
 * exactly (< 2^53), so read them back as numbers.
 */
export const bigintAsNumber: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => (value === null || value === undefined ? value : Number(value)),
};

/** `bigint` column read as a JS number (New API's Go `int`/`int64`). */
export function BigIntColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ type: 'bigint', transformer: bigintAsNumber, ...options });
}

/** Double-precision float read as a number (PostgreSQL returns numeric types as strings otherwise). */
export function DoubleColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ type: 'double precision', transformer: bigintAsNumber, ...options });
}
