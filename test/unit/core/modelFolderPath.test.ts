// Model locations given as file: URLs decode the way the platform writes
// paths: drive letters and UNC shares on Windows, percent-escapes everywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUserError } from '../../../src/shared/errors';
import { localFolderPath } from '../../../src/core/modelFolder';

test('a Windows file URL with a drive letter and an escaped space is a Windows path', () => {
  assert.equal(localFolderPath('file:///C:/Users/Ada%20L/runs/r1/model', 'win32'), 'C:\\Users\\Ada L\\runs\\r1\\model');
});

test('a Windows file URL with a host is a UNC path', () => {
  assert.equal(localFolderPath('file://nas/share/models/m1', 'win32'), '\\\\nas\\share\\models\\m1');
});

test('a file URL on Linux and macOS decodes percent-escapes and non-ASCII names', () => {
  for (const platform of ['linux', 'darwin'] as const) {
    assert.equal(localFolderPath('file:///home/ada/My%20Models/m%C3%BC', platform), '/home/ada/My Models/mü');
    assert.equal(localFolderPath('FILE:///tmp/m', platform), '/tmp/m');
  }
});

test('a plain path, Windows or POSIX, is left as it is', () => {
  assert.equal(localFolderPath('C:\\models\\m', 'win32'), 'C:\\models\\m');
  assert.equal(localFolderPath('/srv/models/m', 'linux'), '/srv/models/m');
  assert.equal(localFolderPath('models/m%20x', 'linux'), 'models/m%20x', 'escapes mean something only in URLs');
});

test('a file URL that names no local path on this platform is a one-line user error', () => {
  for (const [url, platform] of [['file://nas/share/m', 'linux'], ['file:///C:/a%2Fb', 'win32']] as const) {
    assert.throws(
      () => localFolderPath(url, platform),
      (error: unknown) => isUserError(error) && error.message.startsWith(`${url} is not a local file URL`) && !error.message.includes('\n'),
    );
  }
});
