import { SluiceError } from '../../types/ErrorRecord.js';

/**
 * How sluice talks to S3. Credentials are not here on purpose: they always come from the AWS
 * SDK's default provider chain (env, ~/.aws, SSO, container and instance roles).
 */
export interface S3Settings {
  /**
   * An S3-compatible endpoint (MinIO, Ceph, LocalStack, s3rver…), e.g. `http://127.0.0.1:9000`.
   * Default: env `SLUICE_S3_ENDPOINT`, else AWS's own endpoints.
   */
  endpoint?: string;
  /** Default: the SDK's region chain (AWS_REGION, ~/.aws/config); `us-east-1` with a custom endpoint. */
  region?: string;
  /** Path-style URLs (`endpoint/bucket/key`); default on with a custom endpoint, off for AWS. */
  forcePathStyle?: boolean;
  /** Keys per listing page (S3's default and maximum: 1000). Tests set it small to cross pages. */
  maxKeys?: number;
  /** Multipart upload part size in bytes (default 8 MiB; S3's minimum 5 MiB). Files up to it go in one PUT. */
  partSize?: number;
  /** Parts uploaded at once per file (default 4). */
  queueSize?: number;
}

export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

let configured: S3Settings = {};

/**
 * Sets the S3 settings of this process (a job option; the CLI's `--s3-endpoint`). Later calls
 * replace earlier ones; fields left out fall back to the environment and the SDK's defaults.
 * Worker threads do not see these: s3:// inputs are read on the driver thread.
 */
export function configureS3(settings: S3Settings): void {
  if (settings.partSize !== undefined && settings.partSize < MIN_PART_SIZE) {
    throw new SluiceError(`S3 partSize ${settings.partSize} is below S3's minimum part size of ${MIN_PART_SIZE} bytes (5 MiB)`);
  }
  if (settings.maxKeys !== undefined && !(settings.maxKeys >= 1 && settings.maxKeys <= 1000)) {
    throw new SluiceError(`S3 maxKeys must be between 1 and 1000, got ${settings.maxKeys}`);
  }
  configured = { ...settings };
}

/** The settings in force: configured ones over `SLUICE_S3_ENDPOINT`. */
export function currentS3Settings(): S3Settings {
  const endpoint = configured.endpoint ?? (process.env.SLUICE_S3_ENDPOINT || undefined);
  return { ...configured, ...(endpoint ? { endpoint } : {}) };
}
