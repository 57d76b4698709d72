// Runs s3rver in its own process (started by s3rver.ts with --openssl-legacy-provider: s3rver
// encrypts continuation tokens with DES, which OpenSSL 3 only offers through the legacy provider).
// Prints `{"port":N}` once listening; stops on SIGTERM or when stdin closes (parent gone).
const S3rver = require('s3rver');

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
