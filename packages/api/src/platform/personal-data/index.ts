export { type UserColumn, uncoveredUserColumns, userColumns } from './catalogue.ts';
export { mentionsWord, namesSubject } from './mentions.ts';
export { platformPersonalData } from './platform.ts';
export {
  affected,
  definePersonalData,
  type EraseContext,
  type Erasure,
  type ExportContext,
  type ExportFile,
  type PersonalDataDeclaration,
  type Subject,
  type TableDeclaration,
} from './types.ts';
