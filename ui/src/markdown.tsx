/**
 * Renders the evidence summary's Markdown subset (headings, lists, code blocks, inline code,
 * paragraphs) as Preact elements: no HTML strings, so nothing in a profile can inject markup.
 */
import type { ComponentChildren } from 'preact';

function inline(s: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  const re = /\*\*(.+?)\*\*(?!\*)|`([^`]+)`/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    if (m.index > last) out.push(s.slice(last, m.index));
    out.push(m[1] !== undefined ? <strong>{inline(m[1])}</strong> : <code>{m[2]}</code>);
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}

/** Markdown (the evidence summary's subset) as elements. */
export function Markdown({ text }: { text: string }) {
  const lines = text.split('\n');
  const out: ComponentChildren[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!;
    if (l.startsWith('```')) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.startsWith('```')) body.push(lines[i++]!);
      i++;
      out.push(<pre tabIndex={0}>{body.join('\n')}</pre>);
      continue;
    }
    const h = /^(#{1,4}) (.*)$/.exec(l);
    if (h) {
      const level = Math.min(6, h[1]!.length + 1);
      const T = `h${level}` as 'h2';
      out.push(<T>{inline(h[2]!)}</T>);
      i++;
      continue;
    }
    if (/^\s*[-*] /.test(l)) {
      const items: ComponentChildren[] = [];
      while (i < lines.length && /^\s*[-*] /.test(lines[i]!)) {
        const item = lines[i]!.replace(/^\s*[-*] /, '');
        i++;
        const sub: string[] = [];
        while (i < lines.length && /^\s{2,}\S/.test(lines[i]!) && !/^\s*[-*] /.test(lines[i]!)) sub.push(lines[i++]!.trim());
        items.push(<li>{inline([item, ...sub].join(' '))}</li>);
        // nested "  - fix:" lines become part of the item
        while (i < lines.length && /^\s{2,}[-*] /.test(lines[i]!)) items.push(<li class="nested">{inline(lines[i++]!.trim().replace(/^[-*] /, ''))}</li>);
      }
      out.push(<ul>{items}</ul>);
      continue;
    }
    if (l.trim() === '') {
      i++;
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !/^(#|```|\s*[-*] )/.test(lines[i]!)) para.push(lines[i++]!);
    out.push(<p>{inline(para.join(' '))}</p>);
  }
  return <div class="md">{out}</div>;
}
