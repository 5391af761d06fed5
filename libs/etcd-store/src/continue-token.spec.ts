import { decodeContinueToken, encodeContinueToken } from './continue-token';
import { InvalidContinueTokenError } from './errors';

describe('continue tokens', () => {
  const position = { prefix: '/p/tasks/', revision: 42, lastKey: '/p/tasks/aws/eu-west-1/1/c/t1' };

  it('round-trips and is URL-safe', () => {
    const token = encodeContinueToken(position);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeContinueToken(token, position.prefix)).toEqual(position);
  });

  it.each([
    ['', 'not base64url'],
    ['a+b/', 'not base64url'],
    [Buffer.from('nope').toString('base64url'), 'not a token issued by this store'],
    [Buffer.from(JSON.stringify({ v: 2, p: '/p/tasks/', r: 1, k: '/p/tasks/x' })).toString('base64url'), 'not a token issued'],
    [Buffer.from(JSON.stringify({ v: 1, p: '/p/tasks/', r: -1, k: '/p/tasks/x' })).toString('base64url'), 'not a token issued'],
    [Buffer.from(JSON.stringify({ v: 1, p: '/p/tasks/', r: 3, k: '/elsewhere' })).toString('base64url'), 'position outside'],
    [Buffer.from(JSON.stringify({ v: 1, p: '/p/other/', r: 3, k: '/p/other/x' })).toString('base64url'), 'different listing'],
  ])('rejects %s', (token, reason) => {
    expect(() => decodeContinueToken(token, '/p/tasks/')).toThrow(InvalidContinueTokenError);
    expect(() => decodeContinueToken(token, '/p/tasks/')).toThrow(reason);
  });
});
