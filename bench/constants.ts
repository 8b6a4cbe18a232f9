/** The key the servers under test encrypt TOTP secrets with; list databases are seeded with the same key (cache.ts). */
export const BENCH_SECRET_KEY = '00112233445566778899aabbccddeeff';
