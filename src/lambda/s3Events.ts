/**
 * The objects an S3 notification names, whatever carried it to the function: S3 → Lambda,
 * S3 → SQS → Lambda (the S3 event is each record's `body`), S3 → SNS (→ SQS) → Lambda, and
 * EventBridge "Object Created" events (alone, or as an SQS body).
 */

/** One object an event says was created. */
export interface S3ObjectRef {
  bucket: string;
  /** The object key, decoded (S3 notifications send it URL-encoded, `+` for space). */
  key: string;
  /** `s3://bucket/key`, with the key as is (not encoded). */
  uri: string;
  /** e.g. `ObjectCreated:Put`, or `Object Created` for EventBridge. */
  eventName: string;
  size?: number;
  etag?: string;
  versionId?: string;
  sequencer?: string;
  eventTime?: string;
  /** The SQS message that carried the notification (for `batchItemFailures`). */
  messageId?: string;
}

/** A record the handler did not act on, and why (it appears in the summary). */
export interface IgnoredRecord {
  reason: string;
  eventName?: string;
  bucket?: string;
  key?: string;
}

export interface S3EventObjects {
  objects: S3ObjectRef[];
  ignored: IgnoredRecord[];
}

type Json = Record<string, unknown>;

/**
 * Collects the created objects of an event, and notes every record left alone (removals, test
 * events, messages that are not S3 events). The same object named twice (e.g. a message delivered
 * twice in one SQS batch) appears once.
 */
export function s3ObjectsOf(event: unknown): S3EventObjects {
  const out: S3EventObjects = { objects: [], ignored: [] };
  visit(event, out, 0, undefined);
  const seen = new Set<string>();
  out.objects = out.objects.filter((o) => {
    const id = `${o.bucket}\0${o.key}\0${o.versionId ?? ''}\0${o.etag ?? ''}\0${o.sequencer ?? ''}`;
    return seen.has(id) ? false : (seen.add(id), true);
  });
  return out;
}

/** Decodes a key as S3 notifications encode it: `+` is a space, then percent-decoding. */
export function decodeS3EventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

// Envelopes nest at most SQS → SNS → S3; anything deeper is not an event we know.
const MAX_DEPTH = 4;

function visit(event: unknown, out: S3EventObjects, depth: number, messageId: string | undefined): void {
  if (!isObject(event)) {
    out.ignored.push({ reason: `not an event object: ${preview(event)}` });
    return;
  }
  if (depth > MAX_DEPTH) {
    out.ignored.push({ reason: 'event nested too deeply to be an S3 notification' });
    return;
  }
  if (event.Event === 's3:TestEvent') {
    out.ignored.push({ reason: 's3:TestEvent (sent by S3 when a notification is configured)', eventName: 's3:TestEvent', ...(typeof event.Bucket === 'string' ? { bucket: event.Bucket } : {}) });
    return;
  }
  if (event.source === 'aws.s3' && isObject(event.detail)) {
    eventBridgeRecord(event, out, messageId);
    return;
  }
  if (event.Type === 'Notification' && typeof event.Message === 'string') {
    visitJsonText(event.Message, 'SNS message', out, depth, messageId);
    return;
  }
  if (!Array.isArray(event.Records)) {
    out.ignored.push({ reason: `not an S3, SQS, SNS or EventBridge event (no Records, no detail): ${preview(event)}` });
    return;
  }
  for (const record of event.Records as unknown[]) {
    if (!isObject(record)) {
      out.ignored.push({ reason: `record is not an object: ${preview(record)}` });
    } else if (isObject(record.s3)) {
      s3Record(record, out, messageId);
    } else if (typeof record.body === 'string') {
      const sqsId = typeof record.messageId === 'string' && record.messageId !== '' ? record.messageId : undefined;
      visitJsonText(record.body, `SQS message ${String(record.messageId ?? '')}`.trim(), out, depth, sqsId ?? messageId);
    } else if (isObject(record.Sns) && typeof record.Sns.Message === 'string') {
      visitJsonText(record.Sns.Message, 'SNS message', out, depth, messageId);
    } else {
      out.ignored.push({ reason: `record is not an S3 notification: ${preview(record)}` });
    }
  }
}

/** An SQS body or SNS message: the JSON of another event. A body that is not JSON is noted, not thrown: a retry would not fix it. */
function visitJsonText(text: string, what: string, out: S3EventObjects, depth: number, messageId: string | undefined): void {
  let inner: unknown;
  try {
    inner = JSON.parse(text);
  } catch {
    out.ignored.push({ reason: `${what}: body is not JSON: ${preview(text)}` });
    return;
  }
  visit(inner, out, depth + 1, messageId);
}

function s3Record(record: Json, out: S3EventObjects, messageId: string | undefined): void {
  const s3 = record.s3 as Json;
  const eventName = typeof record.eventName === 'string' ? record.eventName : '(no eventName)';
  const bucket = isObject(s3.bucket) && typeof s3.bucket.name === 'string' ? s3.bucket.name : undefined;
  const object = isObject(s3.object) ? s3.object : {};
  const rawKey = typeof object.key === 'string' ? object.key : undefined;
  if (bucket === undefined || rawKey === undefined) {
    out.ignored.push({ reason: 'S3 record without s3.bucket.name or s3.object.key', eventName });
    return;
  }
  let key: string;
  try {
    key = decodeS3EventKey(rawKey);
  } catch {
    out.ignored.push({ reason: `object key is not valid URL encoding: ${rawKey}`, eventName, bucket, key: rawKey });
    return;
  }
  if (!eventName.startsWith('ObjectCreated:')) {
    out.ignored.push({ reason: `${eventName} is not an ObjectCreated event`, eventName, bucket, key });
    return;
  }
  out.objects.push({
    bucket, key, uri: `s3://${bucket}/${key}`, eventName,
    ...optionalNumber('size', object.size),
    ...optionalString('etag', object.eTag ?? object.etag),
    ...optionalString('versionId', object.versionId),
    ...optionalString('sequencer', object.sequencer),
    ...optionalString('eventTime', record.eventTime),
    ...optionalString('messageId', messageId),
  });
}

/**
 * EventBridge's "Object Created": `detail.bucket.name`, `detail.object.key`. Its keys are taken
 * as sent (not URL-decoded), as AWS's EventBridge examples show them.
 */
function eventBridgeRecord(event: Json, out: S3EventObjects, messageId: string | undefined): void {
  const detail = event.detail as Json;
  const eventName = typeof event['detail-type'] === 'string' ? event['detail-type'] : '(no detail-type)';
  const bucket = isObject(detail.bucket) && typeof detail.bucket.name === 'string' ? detail.bucket.name : undefined;
  const object = isObject(detail.object) ? detail.object : {};
  const key = typeof object.key === 'string' ? object.key : undefined;
  if (bucket === undefined || key === undefined) {
    out.ignored.push({ reason: 'EventBridge S3 event without detail.bucket.name or detail.object.key', eventName });
    return;
  }
  if (eventName !== 'Object Created') {
    out.ignored.push({ reason: `${eventName} is not an Object Created event`, eventName, bucket, key });
    return;
  }
  out.objects.push({
    bucket, key, uri: `s3://${bucket}/${key}`, eventName,
    ...optionalNumber('size', object.size),
    ...optionalString('etag', object.etag),
    ...optionalString('versionId', object['version-id']),
    ...optionalString('sequencer', object.sequencer),
    ...optionalString('eventTime', event.time),
    ...optionalString('messageId', messageId),
  });
}

function optionalString<K extends string>(name: K, value: unknown): { [P in K]?: string } {
  return (typeof value === 'string' && value !== '' ? { [name]: value } : {}) as { [P in K]?: string };
}

function optionalNumber<K extends string>(name: K, value: unknown): { [P in K]?: number } {
  return (typeof value === 'number' && Number.isFinite(value) ? { [name]: value } : {}) as { [P in K]?: number };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
