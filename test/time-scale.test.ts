// TEST_TIME_SCALE, read by scaled() for every test's time bound: a positive factor, 1 when unset; anything else is
// refused naming the variable, rather than silently giving tests no time (0) or NaN timeouts.
import { timeScale } from './helpers';

test.each<[string | undefined, number]>([[undefined, 1], ['', 1], ['3', 3], ['0.5', 0.5], ['10', 10]])('TEST_TIME_SCALE=%p is a factor of %p', (text, factor) => {
  expect(timeScale(text)).toBe(factor);
});

test.each(['0', '-1', 'fast', 'Infinity'])('TEST_TIME_SCALE=%s is refused naming the variable and what it takes', (text) => {
  expect(() => timeScale(text)).toThrow(`TEST_TIME_SCALE=${text}: must be a number greater than 0`);
});
