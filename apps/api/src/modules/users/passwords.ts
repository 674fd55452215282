import bcrypt from 'bcryptjs';

/** Go's bcrypt.DefaultCost, so hashes match New API's and its users keep their passwords. */
const BCRYPT_COST = 10;

export function hashPassword(plain: string): Promise<string> {
  return bcrypt.hash(plain, BCRYPT_COST);
}

export function verifyPassword(plain: string, hash: string): Promise<boolean> {
  // Go writes $2a$ hashes; bcryptjs reads $2a$, $2b$ and $2y$.
  return bcrypt.compare(plain, hash);
}
