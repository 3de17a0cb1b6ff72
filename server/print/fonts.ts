import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

/**
 * The fonts every printed page embeds (the photo book, the table cards): Noto Sans for Latin (every
 * accent), Greek and Cyrillic, then Noto Sans SC for Chinese and Japanese, then Noto Sans KR for
 * Korean. No single font covers all of them, so text is cut into runs, each in the first font of the
 * chain that has its characters. The files come inside npm packages (no download at run time), and
 * PDF writers subset them, so a book carries only the glyphs it uses.
 */
export type FontWeight = 'regular' | 'bold';

interface ChainFont {
  /** The name a PDF document registers the file under, e.g. "latin-bold". */
  readonly name: string;
  readonly path: string;
}

const require = createRequire(import.meta.url);

const FILES: readonly { readonly script: string; readonly pkg: string; readonly stem: string }[] = [
  { script: 'latin', pkg: '@expo-google-fonts/noto-sans', stem: 'NotoSans' },
  { script: 'cjk', pkg: '@expo-google-fonts/noto-sans-sc', stem: 'NotoSansSC' },
  { script: 'hangul', pkg: '@expo-google-fonts/noto-sans-kr', stem: 'NotoSansKR' },
];

const WEIGHT_DIR: Record<FontWeight, string> = { regular: '400Regular', bold: '700Bold' };

/** The chain for one weight, in fallback order. */
export function fontChain(weight: FontWeight): readonly ChainFont[] {
  return FILES.map(({ script, pkg, stem }) => ({
    name: `${script}-${weight}`,
    path: require.resolve(`${pkg}/${WEIGHT_DIR[weight]}/${stem}_${WEIGHT_DIR[weight]}.ttf`),
  }));
}

/** Every font of both weights: what a document registers before writing (name -> file). */
export function allFonts(): readonly ChainFont[] {
  return [...fontChain('regular'), ...fontChain('bold')];
}

type Coverage = (codePoint: number) => boolean;
const fontByPath = new Map<string, fontkit.Font>();

/**
 * A font file, parsed once per process (the CJK files are 10 MB each): for the coverage check here,
 * and for a PDF writer to register in place of the path (pdfkit takes a parsed font), so a document
 * does not read and hold its own copy.
 */
export function loadedFont(path: string): fontkit.Font {
  let font = fontByPath.get(path);
  if (!font) {
    const opened = fontkit.openSync(path);
    if (!('hasGlyphForCodePoint' in opened)) throw new Error(`${path} is a font collection, not one font`);
    font = opened;
    fontByPath.set(path, font);
  }
  return font;
}

/** Whether a font file has a glyph for a code point. */
function coverageOf(path: string): Coverage {
  const font = loadedFont(path);
  return (codePoint) => font.hasGlyphForCodePoint(codePoint);
}

export interface TextRun {
  /** The registered font name to write this run in. */
  readonly font: string;
  readonly text: string;
}

/** Spaces and joiners belong to whatever run they are in; they never start a font change. */
const NEUTRAL = /[\s\u200b-\u200d\ufe0e\ufe0f]/u;

/**
 * Cuts text into runs of one font each: every character goes to the first font of the chain that
 * has it (the first font when none does, which prints a blank box rather than failing).
 */
export function textRuns(text: string, weight: FontWeight = 'regular'): TextRun[] {
  const chain = fontChain(weight);
  const runs: { font: string; text: string }[] = [];
  for (const char of text) {
    const last = runs.at(-1);
    if (last && NEUTRAL.test(char)) {
      last.text += char;
      continue;
    }
    const codePoint = char.codePointAt(0) ?? 0;
    const font = (chain.find((f) => coverageOf(f.path)(codePoint)) ?? chain[0]!).name;
    if (last?.font === font) last.text += char;
    else runs.push({ font, text: char });
  }
  return runs;
}
