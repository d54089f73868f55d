/**
 * @fileoverview Files left unparsed (`pending`) and parsed on demand: a lookup parses the
 * file that declares the name and no file that merely mentions it; a file the
 * declaration scanner cannot read falls back to "every mention may declare"; a method
 * lookup parses only the file with that method; and the answers do not change when a
 * large package switches to its scanned index of all pending files.
 */
import { describe, expect, it } from 'vitest';
import { mentions, Package, world, type PendingFile } from '../../src/go/package.js';
import { SourceFile } from '../../src/go/source.js';

/** A package whose first file is parsed and the others pending; records which get parsed. */
function lazyPackage(parsed: string, pending: Record<string, string>): { pkg: Package; loaded: string[] } {
  const loaded: string[] = [];
  const files: PendingFile[] = Object.entries(pending).map(([name, text]) => ({
    text,
    load: () => {
      loaded.push(name);
      return new SourceFile(name, text, { partial: true });
    },
  }));
  const pkg = new Package({ importPath: 'example.com/p', dir: '', files: [new SourceFile('main.go', parsed)], pending: files, world: world() });
  return { pkg, loaded };
}

const MAIN = 'package p\n\nfunc main() { helper(); var t T; t.M() }\n';

describe('pending files: lookups parse the declaring file only', () => {
  it('a function is found in the file that declares it; files that call it stay unparsed', () => {
    const { pkg, loaded } = lazyPackage(MAIN, {
      'uses1.go': 'package p\n\nfunc a() { helper() }\n',
      'decl.go': 'package p\n\n// helper helps.\nfunc helper() {}\n',
      'uses2.go': 'package p\n\nvar h = helper\n',
    });
    const o = pkg.lookup('helper');
    expect(o?.kind).toBe('func');
    expect(o?.file.path).toBe('decl.go');
    expect(loaded).toEqual(['decl.go']);
  });

  it('a name nobody declares parses nothing, and asking again does not search again', () => {
    const text = 'package p\n\nfunc a() { T := 1; _ = T }\n';
    let reads = 0;
    const pending: PendingFile = {
      get text() {
        reads++;
        return text;
      },
      load: () => new SourceFile('uses.go', text, { partial: true }),
    };
    const pkg = new Package({ importPath: 'example.com/p', dir: '', files: [new SourceFile('main.go', MAIN)], pending: [pending], world: world() });
    expect(pkg.lookup('T')).toBeUndefined();
    const searched = reads;
    expect(searched).toBeGreaterThan(0);
    expect(pkg.lookup('T')).toBeUndefined();
    expect(reads).toBe(searched);
  });

  it('a file the scanner cannot read is parsed when it mentions the name', () => {
    const { pkg, loaded } = lazyPackage(MAIN, {
      'odd.go': 'package p\n\nvar broken = "unterminated\n\nfunc helper() {}\n',
      'other.go': 'package p\n\nvar unrelated = 1\n',
    });
    pkg.lookup('helper');
    expect(loaded).toEqual(['odd.go']);
  });

  it('methods: method() parses the file that declares T.M only', () => {
    const { pkg, loaded } = lazyPackage(MAIN, {
      'type.go': 'package p\n\ntype T struct{}\n',
      'm.go': 'package p\n\nfunc (t *T) M() {}\n',
      'n.go': 'package p\n\nfunc (T) N() {}\n',
      'other.go': 'package p\n\ntype U struct{}\n\nfunc (U) M() { var t T; t.M() }\n',
    });
    expect(pkg.method('T', 'M')?.pointerRecv).toBe(true);
    expect(loaded).toEqual(['m.go']);
  });

  it('after many lookups the package indexes its pending files once, with the same answers', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`f${i}.go`] = `package p\n\nfunc F${i}() { helper() }\n\nvar V${i} = F${(i + 1) % 30}\n`;
    files['decl.go'] = 'package p\n\nfunc helper() {}\n';
    files['odd.go'] = 'package p\n\nvar s = "unterminated\nfunc Odd() { helper() }\n';
    const { pkg, loaded } = lazyPackage(MAIN, files);
    for (let i = 0; i < 20; i++) expect(pkg.lookup(`Missing${i}`)).toBeUndefined();
    expect(loaded).toEqual([]);
    expect(pkg.lookup('V7')?.file.path).toBe('f7.go');
    expect(loaded).toEqual(['f7.go']);
    // The unreadable file mentions helper: it may declare it, so it is parsed with decl.go.
    expect(pkg.lookup('helper')?.file.path).toBe('decl.go');
    expect(loaded.sort()).toEqual(['decl.go', 'f7.go', 'odd.go']);
  });
});

describe('mentions', () => {
  it('finds a name only as a whole word, with ASCII and non-ASCII (also astral) neighbours', () => {
    expect(mentions('x := helper()', 'helper')).toBe(true);
    expect(mentions('helper', 'helper')).toBe(true);
    expect(mentions('helpers(); myhelper(); helper_2', 'helper')).toBe(false);
    expect(mentions('var éhelper, helperé, helper9 int', 'helper')).toBe(false);
    expect(mentions('x := "😀helper"', 'helper')).toBe(true);
    expect(mentions('𝒳helper', 'helper')).toBe(false);
    expect(mentions('helpers then helper.', 'helper')).toBe(true);
  });
});
