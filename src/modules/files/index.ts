// The files module's public face: upload/download routes and the access-rule registry.
export { fileRoutes } from './routes.js';
export { registerFileAccess, storeFile, readableFile, findFile, sniffContentType, safeFileName, type FileRow, type StoredFile, type FileAccessRule } from './service.js';
