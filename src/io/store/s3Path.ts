import { SluiceError } from '../../types/ErrorRecord.js';

/** An object (or prefix) address: `s3://bucket/key`. */
export interface S3Location {
  bucket: string;
  /** The key or prefix, without a leading '/'; '' for the whole bucket. */
  key: string;
}

const SCHEME = /^s3:\/\//i;
/** S3's bucket naming rules, minus the rarely met exceptions (IP-like names, `xn--` prefixes). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** True for `s3://…` paths; everything else is a local path. Decided without loading the SDK. */
export const isS3Path = (path: string): boolean => SCHEME.test(path);

/** Splits `s3://bucket/some/key` into bucket and key, checking the bucket name. */
export function parseS3Path(path: string): S3Location {
  if (!isS3Path(path)) throw new SluiceError(`${path} is not an s3:// path`, { file: path });
  const rest = path.replace(SCHEME, '');
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const key = slash < 0 ? '' : rest.slice(slash + 1).replace(/^\/+/, '');
  if (!BUCKET.test(bucket)) {
    throw new SluiceError(
      `Bucket name '${bucket}' in ${path} is not valid: 3 to 63 characters, lower-case letters, digits, '.' and '-', starting and ending with a letter or digit`,
      { file: path },
    );
  }
  return { bucket, key };
}

export const s3Uri = (bucket: string, key: string): string => `s3://${bucket}/${key}`;

/** A prefix that names a "folder": '' stays '' (the whole bucket), else it ends with exactly one '/'. */
export const folderPrefix = (key: string): string => (key === '' ? '' : `${key.replace(/\/+$/, '')}/`);

/** `s3://b/out` + `year=2024/part-0.parquet` → `s3://b/out/year=2024/part-0.parquet`. */
export function s3Join(root: string, relativeKey: string): string {
  const { bucket, key } = parseS3Path(root);
  const parts = relativeKey.split('/');
  if (parts.some((part) => part === '..' || part === '.')) {
    throw new SluiceError(`Refusing to write ${relativeKey} under ${root}: '.' and '..' are not key segments`, { file: root });
  }
  return s3Uri(bucket, `${folderPrefix(key)}${relativeKey.replace(/^\/+/, '')}`);
}

/** The key of `path` relative to the folder `root` (both s3:// paths), '/'-separated. */
export function s3Relative(root: string, path: string): string {
  const base = folderPrefix(parseS3Path(root).key);
  const { key } = parseS3Path(path);
  if (!key.startsWith(base)) throw new SluiceError(`${path} is not under ${root}`, { file: path });
  return key.slice(base.length);
}
