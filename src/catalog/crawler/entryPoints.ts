import type * as CrawlModule from './crawl.js';
import type * as RunModule from './runCrawler.js';

/**
 * The crawler's public entry points, each loading the crawler (classifiers, sniffers, table
 * boundaries) on its first call: importing sluice does not pay for code most jobs never run.
 * JSDoc of each is on the function it calls.
 */
export const crawl: typeof CrawlModule.crawl = async (...args) => (await import('./crawl.js')).crawl(...args);
export const runCrawler: typeof RunModule.runCrawler = async (...args) => (await import('./runCrawler.js')).runCrawler(...args);
export const crawlerRuns: typeof RunModule.crawlerRuns = async (...args) => (await import('./runCrawler.js')).crawlerRuns(...args);
