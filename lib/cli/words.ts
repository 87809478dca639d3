// Words the CLI prints. One count-with-noun for every report (drift's lives with it, below the CLI).
export { plural } from '../drift/report';
