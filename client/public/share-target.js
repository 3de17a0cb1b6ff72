// Web Share Target (the manifest's share_target): a guest shares photos from the gallery to Photobook,
// Android POSTs them here as multipart form data, and this service worker code (imported by sw.js,
// scripts/build-sw.mjs) keeps them in IndexedDB, where the upload page takes them
// (client/src/app/upload/share-inbox.ts, same database and store), then sends the phone to that page.
// Plain IndexedDB: this file is copied as it is, with no bundler to bring a library in.
'use strict';

const SHARE_DB = 'photobook-share';
const SHARE_STORE = 'inbox';

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'POST' || url.origin !== self.location.origin || url.pathname !== '/share-target') return;
  event.respondWith(receiveShare(event.request));
});

/** 303: the browser follows with a GET, so a reload of the page never posts the photos again. */
async function receiveShare(request) {
  try {
    const form = await request.formData();
    const files = form.getAll('photos').filter((f) => f instanceof File && f.size > 0);
    await keepShared(files);
    return Response.redirect(files.length > 0 ? '/upload?shared=1' : '/upload', 303);
  } catch {
    // A form the browser could not read or a full disk: the upload page still opens, with its picker.
    return Response.redirect('/upload', 303);
  }
}

function openInbox() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(SHARE_DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(SHARE_STORE, { autoIncrement: true });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

/** Each file is one record (a File keeps its name and type in IndexedDB); resolves once they are all written. */
async function keepShared(files) {
  if (files.length === 0) return;
  const db = await openInbox();
  try {
    await new Promise((resolve, reject) => {
      const tx = db.transaction(SHARE_STORE, 'readwrite');
      for (const file of files) tx.objectStore(SHARE_STORE).add(file);
      tx.oncomplete = () => resolve(undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}
