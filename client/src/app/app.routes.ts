import type { Routes } from '@angular/router';

// Each page is lazy: a guest's phone only downloads the upload page, the projector only the wall.
export const routes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    title: 'Photobook',
    loadComponent: () => import('./wall/wall-page').then((m) => m.WallPage),
  },
  {
    path: 'upload',
    title: 'Add your photos · Photobook',
    loadComponent: () => import('./upload/upload-page').then((m) => m.UploadPage),
  },
  {
    path: 'mine',
    title: 'My photos · Photobook',
    loadComponent: () => import('./mine/mine-page').then((m) => m.MinePage),
  },
  {
    path: 'gallery',
    title: 'Photos · Photobook',
    loadComponent: () => import('./gallery/gallery-page').then((m) => m.GalleryPage),
  },
  { path: 'admin', title: 'Host console · Photobook', loadChildren: () => import('./admin/admin.routes').then((m) => m.ADMIN_ROUTES) },
  { path: '**', redirectTo: '' },
];
