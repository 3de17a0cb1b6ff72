/**
 * The share page and its "gone" twin: plain server-rendered HTML (no app bundle), so a messenger's
 * crawler finds the Open Graph and Twitter tags in the first response. Every value that comes from
 * guests or the host (caption, name, title) goes through escapeHtml, in text and in attributes alike.
 */
import { createHash } from 'node:crypto';
import { downloadPath, sharePath } from '@photobook/shared';
import type { SharedPhoto } from './shared-photos';

/** For text and for double- or single-quoted attributes: nothing a guest types can open a tag or leave a quote. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The app's look (the upload page's colours and buttons), phone first; system fonts only. */
const STYLE = `
:root{color-scheme:light;--accent:#b0563a;--accent-ink:#fff;--ink:#2a2521;--muted:#7a6f66;--line:#e6ddd3;--canvas:#faf7f2;
--font-sans:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,'Noto Sans',sans-serif,'Apple Color Emoji','Segoe UI Emoji','Noto Color Emoji';
--font-serif:'Iowan Old Style','Palatino Linotype',Palatino,Georgia,'Times New Roman',serif}
*,*::before,*::after{box-sizing:border-box}
html,body{margin:0}
body{min-height:100vh;min-height:100dvh;background:var(--canvas);color:var(--ink);font-family:var(--font-sans);line-height:1.45;-webkit-text-size-adjust:100%}
.share{max-width:36rem;margin:0 auto;padding:max(1.25rem,env(safe-area-inset-top)) 1rem calc(1.75rem + env(safe-area-inset-bottom));display:grid;gap:1rem}
.eyebrow{margin:0;color:var(--accent);font-size:.8rem;font-weight:600;letter-spacing:.12em;text-transform:uppercase}
h1{margin:.2rem 0 0;font-family:var(--font-serif);font-weight:500;font-size:2rem;line-height:1.15;overflow-wrap:anywhere}
.frame{display:grid;justify-items:center}
.frame img{display:block;max-width:100%;height:auto;border-radius:1rem;background:#efe8df;box-shadow:0 1px 2px rgb(42 37 33/.08),0 10px 28px rgb(42 37 33/.12)}
.words{display:grid;gap:.3rem}
.caption{margin:0;font-size:1.15rem;white-space:pre-line;overflow-wrap:anywhere}
.author{margin:0;color:var(--muted);overflow-wrap:anywhere}
.actions{display:grid;gap:.6rem;margin-top:.25rem}
.button{display:flex;align-items:center;justify-content:center;min-height:3rem;padding:0 1.4rem;border:1px solid var(--accent);border-radius:999px;font-weight:600;text-decoration:none}
.primary{background:var(--accent);color:var(--accent-ink)}
.ghost{background:transparent;color:var(--accent)}
a:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.download{margin:0;text-align:center;font-size:.95rem}
.download a{display:inline-flex;align-items:center;min-height:2.75rem;color:var(--muted)}
.note{margin:0;color:var(--muted)}
.gone{min-height:80vh;align-content:center;text-align:center;max-width:30rem}
@media (min-width:60rem){
.share:not(.gone){max-width:86rem;min-height:100vh;min-height:100dvh;padding:2rem 2.5rem;column-gap:3rem;row-gap:1rem;align-content:center;
grid-template-columns:minmax(0,1fr) minmax(16rem,22rem);grid-template-rows:1fr auto auto auto auto 1fr;
grid-template-areas:"frame ." "frame intro" "frame words" "frame actions" "frame download" "frame ."}
.intro{grid-area:intro}.frame{grid-area:frame;align-self:center;justify-items:end}.words{grid-area:words}.actions{grid-area:actions}.download{grid-area:download;text-align:left}
h1{font-size:2.4rem}
}
`;

/**
 * The photo's own rule: as large as the screen allows, never cropped, never boxed. Its shape comes
 * from the display image's stored size (whole numbers, not guest text), so the box is right before
 * the image arrives and a tall photo never runs past the screen.
 */
function photoStyle(width: number, height: number): string {
  const w = Math.max(1, Math.round(width) || 1);
  const h = Math.max(1, Math.round(height) || 1);
  return (
    `.frame img{aspect-ratio:${w}/${h};width:min(100%,calc(64vh*${w}/${h}),${w}px)}` +
    `@media (min-width:60rem){.frame img{width:min(100%,calc((100vh - 4rem)*${w}/${h}),${w}px)}}`
  );
}

/**
 * The share pages' own policy, stricter than the app's: no script at all, images from here only, and
 * only the page's one inline stylesheet, by its hash (no 'unsafe-inline').
 */
export function sharePageCsp(style: string): string {
  return [
    "default-src 'none'",
    "img-src 'self' data:",
    `style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
}

/** A page and the policy its stylesheet needs. */
export interface SharePage {
  readonly html: string;
  readonly csp: string;
}

/** The share page's words, worked out once for the tags and the body alike. */
export interface ShareWords {
  /** og:title and <title>: "A photo from Anna & Ben". */
  readonly headline: string;
  /** og:description: the caption and "— name", or something sensible when the guest wrote neither. */
  readonly description: string;
  readonly siteName: string;
}

/** One line for a tag: a caption's line breaks become spaces. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

export function shareWords(shared: Pick<SharedPhoto, 'photo' | 'title'>): ShareWords {
  const title = oneLine(shared.title);
  const caption = oneLine(shared.photo.caption);
  const author = oneLine(shared.photo.author);
  const headline = title ? `A photo from ${title}` : 'A photo from the party';
  let description: string;
  if (caption && author) description = `${caption} — ${author}`;
  else if (caption) description = caption;
  else if (author) description = `Shared by ${author}.`;
  else description = title ? `See every photo from ${title}, and add yours.` : 'See every photo from the party, and add yours.';
  return { headline, description, siteName: title || 'Photobook' };
}

function head(title: string, tags: string, style: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<title>${escapeHtml(title)}</title>
<meta name="robots" content="noindex">
<meta name="theme-color" content="#faf7f2">
<link rel="icon" href="data:,">
${tags}<style>${style}</style>
</head>`;
}

/** The page behind /p/:id. `origin` makes the URLs messengers fetch absolute (see originFor). */
export function sharePage(shared: SharedPhoto, origin: string): SharePage {
  const { photo } = shared;
  const words = shareWords(shared);
  const pageUrl = `${origin}${sharePath(photo.id)}`;
  const imageUrl = `${origin}${photo.displayUrl}`;
  const meta = (attr: 'property' | 'name', key: string, value: string | number) =>
    `<meta ${attr}="${key}" content="${escapeHtml(String(value))}">\n`;
  const tags =
    meta('name', 'description', words.description) +
    `<link rel="canonical" href="${escapeHtml(pageUrl)}">\n` +
    meta('property', 'og:type', 'website') +
    meta('property', 'og:site_name', words.siteName) +
    meta('property', 'og:title', words.headline) +
    meta('property', 'og:description', words.description) +
    meta('property', 'og:url', pageUrl) +
    meta('property', 'og:image', imageUrl) +
    meta('property', 'og:image:type', shared.displayType) +
    meta('property', 'og:image:width', photo.width) +
    meta('property', 'og:image:height', photo.height) +
    meta('property', 'og:image:alt', photo.caption ? oneLine(photo.caption) : words.headline) +
    meta('name', 'twitter:card', 'summary_large_image') +
    meta('name', 'twitter:title', words.headline) +
    meta('name', 'twitter:description', words.description) +
    meta('name', 'twitter:image', imageUrl);
  const title = oneLine(shared.title);
  const heading = title
    ? `<p class="eyebrow">A photo from</p>\n<h1>${escapeHtml(title)}</h1>`
    : `<p class="eyebrow">Photobook</p>\n<h1>A photo from the party</h1>`;
  const caption = photo.caption.trim() ? `<p class="caption">${escapeHtml(photo.caption.trim())}</p>\n` : '';
  const author = oneLine(photo.author) ? `<p class="author">— ${escapeHtml(oneLine(photo.author))}</p>\n` : '';
  const said = caption || author ? `<div class="words">\n${caption}${author}</div>\n` : '';
  const download = shared.downloads
    ? `<p class="download"><a href="${escapeHtml(downloadPath(photo.id))}" download>Download in full quality</a></p>\n`
    : '';
  const alt = photo.caption ? oneLine(photo.caption) : words.headline;
  const style = STYLE + photoStyle(photo.width, photo.height);
  const html = `${head(words.headline, tags, style)}
<body>
<main class="share">
<header class="intro">
${heading}
</header>
<div class="frame"><img src="${escapeHtml(photo.displayUrl)}" width="${photo.width}" height="${photo.height}" alt="${escapeHtml(alt)}"></div>
${said}<nav class="actions" aria-label="More photos">
<a class="button primary" href="/gallery">See all the photos</a>
<a class="button ghost" href="/upload">Add yours</a>
</nav>
${download}</main>
</body>
</html>
`;
  return { html, csp: sharePageCsp(style) };
}

/** What a link answers once its photo is hidden, removed or pending, or the host turned links off. */
export function gonePage(): SharePage {
  const html = `${head('This photo is no longer shared', '', STYLE)}
<body>
<main class="share gone">
<h1>This photo is no longer shared</h1>
<p class="note">The host may have taken it down, or turned sharing off for this event.</p>
<nav class="actions" aria-label="More photos">
<a class="button ghost" href="/gallery">See the photos</a>
</nav>
</main>
</body>
</html>
`;
  return { html, csp: sharePageCsp(STYLE) };
}
