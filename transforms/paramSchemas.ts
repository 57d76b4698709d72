import type { ParamSchema } from './TransformDef.js';

/** Parameter schemas several transforms share, so their spec fields read and fail alike. */

export const stringList = (description: string): ParamSchema => ({
  type: 'array', minItems: 1, items: { type: 'string', minLength: 1 }, description,
});

export const nonEmptyString = (description: string): ParamSchema => ({ type: 'string', minLength: 1, description });

/** A row function in a module: `{ "module": "./fns.js", "export": "clean" }`. */
export const functionRef = (description: string): ParamSchema => ({
  type: 'object',
  required: ['module'],
  additionalProperties: false,
  properties: {
    module: { type: 'string', minLength: 1, description: "A .js/.mjs/.ts file, relative to the job file's folder (when it starts with . or has a file extension), or a package name." },
    export: { type: 'string', minLength: 1, default: 'default' },
  },
  description,
});

/** `{"name": "type"}`, as in read nodes' `schema`. */
export const schemaSpec = (description: string): ParamSchema => ({
  type: 'object', additionalProperties: { type: 'string', minLength: 1 }, description,
});

/** A transform node without id and input, applied to each member of a collection (MapToCollection, FlatMap). */
export const memberTransform = (description: string): ParamSchema => ({
  type: 'object', required: ['type'], properties: { type: { type: 'string', minLength: 1 } }, description,
});
