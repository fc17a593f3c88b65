/** foldAscii: names compared as SQLite compares them, ASCII letters in any case, every other character as it is. */
import { describe, expect, it } from 'vitest';
import { foldAscii } from '../src/model/names.ts';

describe('foldAscii', () => {
  it('folds ASCII letters only, with or without other characters in the name', () => {
    expect(foldAscii('UserProfile_Idx')).toBe('userprofile_idx');
    expect(foldAscii('t123')).toBe('t123');
    // SQLite keeps É and é apart, and the Kelvin sign is not a K.
    expect(foldAscii('ÉCOLE_Ab')).toBe('École_ab');
    expect(foldAscii('KELVIN\u212a')).toBe('kelvin\u212a');
    expect(foldAscii('İndex')).toBe('İndex');
    expect(foldAscii('Straße')).toBe('straße');
  });
});
