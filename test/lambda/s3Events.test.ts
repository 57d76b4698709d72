import { describe, expect, it } from 'vitest';
import { decodeS3EventKey, s3ObjectsOf } from '../../src/lambda/s3Events.js';
import { eventBridgeEvent, s3Event, s3Record, sqsEvent, testEvent } from './helpers.js';

describe('s3ObjectsOf', () => {
  it('reads bucket, decoded key, etag, size and sequencer from a plain S3 event', () => {
    const { objects, ignored } = s3ObjectsOf(s3Event({ bucket: 'landing', key: 'orders/2024/a.csv', etag: 'abc', size: 42, sequencer: '0A' }));
    expect(ignored).toEqual([]);
    expect(objects).toEqual([{
      bucket: 'landing', key: 'orders/2024/a.csv', uri: 's3://landing/orders/2024/a.csv', eventName: 'ObjectCreated:Put',
      size: 42, etag: 'abc', sequencer: '0A', eventTime: '2024-06-01T10:11:12.000Z',
    }]);
  });

  it('decodes keys as S3 encodes them: + is a space, %2B a plus, percent-encoded UTF-8', () => {
    expect(decodeS3EventKey('my+orders+%282%29.csv')).toBe('my orders (2).csv');
    expect(decodeS3EventKey('c%2B%2B/a%2Bb.csv')).toBe('c++/a+b.csv');
    expect(decodeS3EventKey('caf%C3%A9/%E6%97%A5%E6%9C%AC.csv')).toBe('café/日本.csv');
    const raw = { Records: [{ ...s3Record({ bucket: 'b', key: 'x' }), s3: { bucket: { name: 'b' }, object: { key: 'year%3D2024/na%C3%AFve+file.csv', eTag: 'e' } } }] };
    expect(s3ObjectsOf(raw).objects.map((o) => o.key)).toEqual(['year=2024/naïve file.csv']);
  });

  it('unwraps SQS messages, several per batch, and ignores the S3 test event', () => {
    const event = sqsEvent(
      s3Event({ bucket: 'landing', key: 'a.csv', etag: '1' }, { bucket: 'landing', key: 'b.csv', etag: '2' }),
      testEvent('landing'),
      s3Event({ bucket: 'landing', key: 'c d.csv', etag: '3' }),
    );
    const { objects, ignored } = s3ObjectsOf(event);
    expect(objects.map((o) => o.uri)).toEqual(['s3://landing/a.csv', 's3://landing/b.csv', 's3://landing/c d.csv']);
    expect(ignored).toEqual([{ reason: 's3:TestEvent (sent by S3 when a notification is configured)', eventName: 's3:TestEvent', bucket: 'landing' }]);
  });

  it('unwraps SNS envelopes (S3 → SNS → SQS) and notes bodies that are not JSON', () => {
    const sns = { Type: 'Notification', MessageId: 'm', Message: JSON.stringify(s3Event({ bucket: 'b', key: 'k.csv' })) };
    const { objects, ignored } = s3ObjectsOf(sqsEvent(sns, 'not json {'));
    expect(objects.map((o) => o.uri)).toEqual(['s3://b/k.csv']);
    expect(ignored).toEqual([{ reason: 'SQS message msg-1: body is not JSON: not json {' }]);
  });

  it('ignores removals with a note naming the event and object', () => {
    const event = { Records: [s3Record({ bucket: 'b', key: 'gone file.csv' }, 'ObjectRemoved:Delete'), s3Record({ bucket: 'b', key: 'new.csv' })] };
    const { objects, ignored } = s3ObjectsOf(event);
    expect(objects.map((o) => o.key)).toEqual(['new.csv']);
    expect(ignored).toEqual([{ reason: 'ObjectRemoved:Delete is not an ObjectCreated event', eventName: 'ObjectRemoved:Delete', bucket: 'b', key: 'gone file.csv' }]);
  });

  it('reads EventBridge Object Created events and ignores Object Deleted', () => {
    expect(s3ObjectsOf(eventBridgeEvent({ bucket: 'b', key: 'in/x y.csv', etag: 'e9' })).objects).toEqual([{
      bucket: 'b', key: 'in/x y.csv', uri: 's3://b/in/x y.csv', eventName: 'Object Created', size: 100, etag: 'e9', sequencer: '0066A1', eventTime: '2024-06-01T10:11:12Z',
    }]);
    const deleted = s3ObjectsOf(eventBridgeEvent({ bucket: 'b', key: 'k' }, 'Object Deleted'));
    expect(deleted.objects).toEqual([]);
    expect(deleted.ignored[0].reason).toBe('Object Deleted is not an Object Created event');
  });

  it('lists an object named twice in one batch once', () => {
    const twice = s3Event({ bucket: 'b', key: 'k.csv', etag: 'e' });
    expect(s3ObjectsOf(sqsEvent(twice, twice)).objects).toHaveLength(1);
  });

  it('notes events that are not S3 notifications instead of throwing', () => {
    expect(s3ObjectsOf({ hello: 'world' }).ignored[0].reason).toMatch(/^not an S3, SQS, SNS or EventBridge event/);
    expect(s3ObjectsOf(null).ignored[0].reason).toBe('not an event object: null');
    expect(s3ObjectsOf({ Records: [{ s3: { bucket: { name: 'b' }, object: { key: 'bad%E0%A4%A' } }, eventName: 'ObjectCreated:Put' }] }).ignored[0].reason)
      .toBe('object key is not valid URL encoding: bad%E0%A4%A');
  });
});
