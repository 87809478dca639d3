// Every test file's default timeout (package.json's testTimeout) times TEST_TIME_SCALE, as scaled() does for the rest.
import { scaled } from './helpers';

jest.setTimeout(scaled(60_000));
