// Downloads are cached where each platform keeps caches, unless the user says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultCacheDir } from '../../../../src/trainer/data/download';

test('Windows caches under %LOCALAPPDATA%, falling back to the profile’s AppData\\Local', () => {
  assert.equal(defaultCacheDir('win32', { LOCALAPPDATA: 'D:\\Users\\ada\\AppData\\Local' }, 'C:\\Users\\ada'), 'D:\\Users\\ada\\AppData\\Local\\model-studio\\Cache');
  assert.equal(defaultCacheDir('win32', {}, 'C:\\Users\\ada'), 'C:\\Users\\ada\\AppData\\Local\\model-studio\\Cache');
});

test('macOS caches under ~/Library/Caches, Linux under ~/.cache', () => {
  assert.equal(defaultCacheDir('darwin', {}, '/Users/ada'), '/Users/ada/Library/Caches/model-studio');
  assert.equal(defaultCacheDir('linux', {}, '/home/ada'), '/home/ada/.cache/model-studio');
});

test('$XDG_CACHE_HOME, when set, wins on every platform', () => {
  assert.equal(defaultCacheDir('linux', { XDG_CACHE_HOME: '/var/cache/ada' }, '/home/ada'), '/var/cache/ada/model-studio');
  assert.equal(defaultCacheDir('darwin', { XDG_CACHE_HOME: '/Users/ada/.cache' }, '/Users/ada'), '/Users/ada/.cache/model-studio');
  assert.equal(defaultCacheDir('win32', { XDG_CACHE_HOME: 'E:\\cache', LOCALAPPDATA: 'C:\\x' }, 'C:\\Users\\ada'), 'E:\\cache\\model-studio');
});
