import { setup } from './jest-tmpdir';

export default setup;
