// Stands in for @aws-sdk/credential-provider-node in the handler bundles (esbuild alias). Lambda hands a function
// its role's credentials in environment variables, so the SDK's full chain (SSO, INI files, web identity, IMDS,
// with STS, SSO-OIDC and an XML parser behind them) is dead weight there, in bundle size and cold start.
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (_init?: unknown) => fromEnv();
