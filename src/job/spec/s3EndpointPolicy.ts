import type { S3Settings } from '../../io/store/s3Settings.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { S3Spec } from './JobSpec.js';

/**
 * The S3 settings a job spec may set. The SDK signs every request with the environment's
 * credentials (access key id, session token in the clear), so the host they go to is the user's
 * call, not the spec's: a spec's `s3.endpoint` must be the one the environment allows
 * (`--s3-endpoint`, else env SLUICE_S3_ENDPOINT), and plain http only reaches a loopback host.
 * Returns the settings to configure (undefined: leave the process's settings alone).
 */
export function specS3Settings(spec: S3Spec | undefined, cliEndpoint: string | undefined, source: string): S3Settings | undefined {
  const allowed = cliEndpoint ?? (process.env.SLUICE_S3_ENDPOINT || undefined);
  const allowedBy = cliEndpoint !== undefined ? '--s3-endpoint' : 'SLUICE_S3_ENDPOINT';
  if (spec?.endpoint !== undefined) {
    const given = endpointKey(spec.endpoint, `${source}: s3.endpoint`);
    if (allowed === undefined) {
      throw new SluiceError(
        `${source}: s3.endpoint ${spec.endpoint} is not allowed: a job spec cannot send your AWS credentials to a host it names; ` +
        'set --s3-endpoint (or env SLUICE_S3_ENDPOINT) to that endpoint to allow it',
        { file: source },
      );
    }
    if (given !== endpointKey(allowed, allowedBy)) {
      throw new SluiceError(`${source}: s3.endpoint ${spec.endpoint} differs from the allowed endpoint ${allowed} (${allowedBy}); a job spec may only repeat the endpoint your environment allows`, { file: source });
    }
    const url = new URL(spec.endpoint);
    if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
      throw new SluiceError(`${source}: s3.endpoint ${spec.endpoint} is plain http to a host that is not loopback: credentials would cross the network unencrypted; use https, or set the endpoint by --s3-endpoint/SLUICE_S3_ENDPOINT only`, { file: source });
    }
  }
  if (spec === undefined && cliEndpoint === undefined) return undefined;
  return { ...(spec ?? {}), ...(allowed !== undefined && (cliEndpoint !== undefined || spec?.endpoint !== undefined) ? { endpoint: allowed } : {}) };
}

/** scheme://host:port/path, lower-cased, default ports and a trailing `/` dropped: what must match. */
function endpointKey(endpoint: string, what: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new SluiceError(`${what}: '${endpoint}' is not a URL (e.g. https://s3.example.com or http://127.0.0.1:9000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SluiceError(`${what}: '${endpoint}' must be an http or https URL`);
  if (url.username || url.password) throw new SluiceError(`${what}: '${endpoint}' must not carry a user name or password`);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '[::1]';
}
