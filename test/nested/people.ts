import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/files.js';

/** Arrays of structs, of primitives, an array inside an array of structs, an array of arrays; nulls and empties. */
export const PEOPLE = [
  { id: 1, name: 'Ann', address: { city: 'Paris', zip: '75001' }, tags: ['a', 'b'], friends: [{ name: 'Bob', age: 30, phones: ['111', '222'] }, { name: 'Cy', age: null, phones: [] }], matrix: [[1, 2], [3]] },
  { id: 2, name: 'Ben', address: null, tags: [], friends: null, matrix: [[]] },
  { id: 3, name: null, address: { city: null, zip: '10115' }, tags: ['c'], friends: [{ name: 'Dee', age: 41, phones: ['333'] }], matrix: null },
];

export async function peopleFile(): Promise<string> {
  const dir = await tempDir('sluice-relationalize-');
  const path = join(dir, 'people.json');
  writeFileSync(path, PEOPLE.map((p) => JSON.stringify(p)).join('\n') + '\n');
  return path;
}

export const PEOPLE_TABLES = {
  root: [
    { id: 1, name: 'Ann', 'address.city': 'Paris', 'address.zip': '75001', tags: 1, friends: 1, matrix: 1 },
    { id: 2, name: 'Ben', 'address.city': null, 'address.zip': null, tags: 2, friends: null, matrix: 2 },
    { id: 3, name: null, 'address.city': null, 'address.zip': '10115', tags: 3, friends: 3, matrix: null },
  ],
  root_tags: [
    { id: 1, index: 0, 'tags.val': 'a' },
    { id: 1, index: 1, 'tags.val': 'b' },
    { id: 3, index: 0, 'tags.val': 'c' },
  ],
  root_friends: [
    { id: 1, index: 0, 'friends.val.name': 'Bob', 'friends.val.age': 30, 'friends.val.phones': 1 },
    { id: 1, index: 1, 'friends.val.name': 'Cy', 'friends.val.age': null, 'friends.val.phones': 2 },
    { id: 3, index: 0, 'friends.val.name': 'Dee', 'friends.val.age': 41, 'friends.val.phones': 3 },
  ],
  'root_friends.val.phones': [
    { id: 1, index: 0, 'friends.val.phones.val': '111' },
    { id: 1, index: 1, 'friends.val.phones.val': '222' },
    { id: 3, index: 0, 'friends.val.phones.val': '333' },
  ],
  root_matrix: [
    { id: 1, index: 0, 'matrix.val': 1 },
    { id: 1, index: 1, 'matrix.val': 2 },
    { id: 2, index: 0, 'matrix.val': 3 },
  ],
  'root_matrix.val': [
    { id: 1, index: 0, 'matrix.val.val': 1 },
    { id: 1, index: 1, 'matrix.val.val': 2 },
    { id: 2, index: 0, 'matrix.val.val': 3 },
  ],
};
