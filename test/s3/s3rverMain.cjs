// Runs s3rver in its own process (started by s3rver.ts with --openssl-legacy-provider: s3rver
// encrypts continuation tokens with DES, which OpenSSL 3 only offers through the legacy provider).
// Prints `{"port":N}` once listening; stops on SIGTERM or when stdin closes (parent gone).
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const S3rver = require('s3rver');
const FilesystemStore = require('s3rver/lib/stores/filesystem');

// s3rver answers a PUT once the body has passed its MD5 transform, before the file is flushed, so
// a GET right after can read a truncated object (S3 is read-after-write consistent). Write the
// object whole to a temp file and rename it into place before answering.
FilesystemStore.prototype.putObject = async function putObject(object) {
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  await fs.promises.mkdir(path.dirname(objectPath), { recursive: true });
  const chunks = [];
  if (Buffer.isBuffer(object.content)) chunks.push(object.content);
  else for await (const chunk of object.content) chunks.push(chunk);
  const content = Buffer.concat(chunks);
  const md5 = crypto.createHash('md5').update(content).digest('hex');
  const temp = path.join(this.rootDirectory, `.put-${process.pid}-${crypto.randomUUID()}`);
  await fs.promises.writeFile(temp, content);
  await fs.promises.rename(temp, objectPath);
  await this.putMetadata(object.bucket, object.key, object.metadata, md5);
  return { size: content.length, md5 };
};

const [directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: buckets.map((name) => ({ name })),
});
server.run().then(
  (address) => process.stdout.write(`${JSON.stringify({ port: address.port })}\n`),
  (error) => {
    process.stderr.write(`s3rver failed to start: ${error && error.stack ? error.stack : error}\n`);
    process.exit(1);
  },
);
const stop = () => server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
