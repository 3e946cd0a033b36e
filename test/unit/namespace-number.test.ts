import { describe, expect, it } from 'vitest';
import { namespaceNumber } from '../../labs/shared/namespace-number.ts';

describe('namespaceNumber', () => {
  it.each([
    ['uts:[4026531838]', '4026531838'],
    ['4026531838', '4026531838'],
    ['  uts:[4026532301]\n', '4026532301'],
    ['net:[4026531840]', '4026531840'],
    ['cgroup_ns:[1]', '1'],
    ['12345678901234567890', '12345678901234567890'],
  ])('reads %j as %j', (text, number) => {
    expect(namespaceNumber(text)).toBe(number);
  });

  it.each([
    '',
    '   ',
    'uts',
    'uts:[]',
    'uts:[abc]',
    'UTS:[4026531838]',
    'uts:[-1]',
    'uts: [4026531838]',
    'uts:[4026531838] extra',
    'lrwxrwxrwx 1 root root 0 uts -> uts:[4026531838]',
    '4026531838 4026531839',
    '123456789012345678901',
    '0x4026531838',
    '4026531838.0',
  ])('rejects %j', (text) => {
    expect(namespaceNumber(text)).toBeUndefined();
  });
});
