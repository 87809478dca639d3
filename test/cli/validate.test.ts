import { validateReport } from '../../lib/cli/validate';

describe('validateReport', () => {
  test.each([
    ['a problem at FILE:LINE:COL', 'rooms.yaml', ['rooms.yaml:3:5: room \'A\': mailBox is not a field here'],
      [{ file: 'rooms.yaml', line: 3, column: 5, message: 'room \'A\': mailBox is not a field here' }]],
    ['a file name with colons and digits in it', 'c:1:2.yaml', ['c:1:2.yaml:10:1: inventory: rooms is required'],
      [{ file: 'c:1:2.yaml', line: 10, column: 1, message: 'inventory: rooms is required' }]],
    ['a message over several lines', 'r.yaml', ['r.yaml:1:1: first\nsecond'], [{ file: 'r.yaml', line: 1, column: 1, message: 'first\nsecond' }]],
    ['a problem of the file as a whole (no position)', 'r.yaml', ['r.yaml: cannot read'], [{ file: 'r.yaml', line: null, column: null, message: 'r.yaml: cannot read' }]],
  ])('%s', (_, file, problems, expected) => {
    expect(validateReport(file, problems)).toEqual({ version: 1, status: 'invalid', file, problems: expected });
  });

  test('no problems: valid', () => {
    expect(validateReport('r.yaml', [])).toEqual({ version: 1, status: 'valid', file: 'r.yaml', problems: [] });
  });
});
