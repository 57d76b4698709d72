// The hook lives in io/ (plain writes commit there too); bookmarks name it from here.
export { CRASH_POINTS, WRITE_CRASH_POINTS, crashPoint, type CrashPoint } from '../../io/partitioning/crashPoint.js';
