/**
 * @fileoverview Interface calls resolved to the package's implementations
 * (src/analysis/ifaces.ts): method sets read from the interface declaration (embedded
 * interfaces included), types lacking a method excluded, other receivers not resolved.
 */
import { describe, expect, it } from 'vitest';
import { implementations, interfaceCallees, interfaceMethodNames } from '../src/analysis/ifaces.js';
import { PackageFacts } from '../src/analysis/pass.js';
import { walk, type Node } from '../src/go/syntax.js';
import { findDecl, makePackage } from './go/helpers.js';

const SRC = `package p

type Closer interface { Close() error }
type Txn interface {
	Closer
	Get(k string) int
	End()
}

type txn struct{}
func (t *txn) Get(k string) int { return 0 }
func (t *txn) End() {}
func (t *txn) Close() error { return nil }

// Has End but not Get: not a Txn.
type half struct{}
func (h half) End() {}

type other struct{}
func (o *other) Get(k string) int { return 1 }
func (o *other) End() {}
func (o *other) Close() error { return nil }

func use(t Txn, h *half) {
	t.End()
	h.End()
}
`;

function calls(decl: Node): Node[] {
  const out: Node[] = [];
  walk(decl, (n) => {
    if (n.type === 'call_expression') out.push(n);
  });
  return out;
}

describe('interface method resolution', () => {
  const { pkg } = makePackage({ 'p.go': SRC });
  const txn = pkg.objType(pkg.lookup('Txn') as NonNullable<ReturnType<typeof pkg.lookup>>);

  it('reads the method set, embedded interfaces included', () => {
    expect([...(interfaceMethodNames(pkg, txn) ?? [])].sort()).toEqual(['Close', 'End', 'Get']);
  });

  it('keeps the types that have every method of the interface', () => {
    expect(implementations(pkg, txn, 'End').map((m) => m.recvType).sort()).toEqual(['other', 'txn']);
  });

  it('resolves a call through an interface value, not through a concrete receiver', () => {
    const facts = new PackageFacts(pkg);
    const { decl, file } = findDecl(pkg, 'use');
    const fc = facts.funcCtx(decl, file);
    const [viaIface, direct] = calls(decl);
    expect(interfaceCallees(fc, viaIface as Node)?.methods.map((m) => m.recvType).sort()).toEqual(['other', 'txn']);
    expect(interfaceCallees(fc, direct as Node)).toBeUndefined();
  });
});
