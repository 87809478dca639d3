// Where the package is installed: its assets (the handler bundles) and bin/app.js are found from there. The same code
// runs compiled in place (lib/local/*.js, under jest or from a checkout) and inside the CLI bundle (bin/a4b-rooms.js,
// what npm installs), which sit at different depths below the package.
import * as fs from 'fs';
import * as path from 'path';

const PACKAGE_NAME = 'cdk-a4b-rooms';

/** The nearest directory at or above `from` whose package.json names this package. */
export function packageDirFrom(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no ${PACKAGE_NAME} package.json at or above ${from}: the package's files are incomplete, reinstall it`);
  }
}

/** This package's directory (where package.json, assets/ and bin/ are). */
export const PACKAGE_DIR = packageDirFrom(__dirname);
