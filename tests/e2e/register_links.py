#!/usr/bin/env python3
"""register_links.py SITE - checks a register site (emheval register): every internal link of every page
resolves to a file inside SITE (and its #fragment to an id on that page); no page carries a script, loads
anything (src, link rel=stylesheet) or lacks the Content-Security-Policy. Prints problems and
"links: N checked, N broken"; exits 1 when anything is wrong."""
import os
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.ids, self.problems, self.csp = [], set(), [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if 'id' in a:
            self.ids.add(a['id'])
        if tag == 'script':
            self.problems.append('a script element')
        if 'src' in a and not a['src'].startswith('data:'):
            self.problems.append('loads ' + a['src'])
        if tag == 'link':
            self.problems.append('a link element')
        if tag == 'meta' and a.get('http-equiv', '').lower() == 'content-security-policy' \
                and "default-src 'none'" in a.get('content', ''):
            self.csp = True
        for k, v in attrs:
            if k.startswith('on'):
                self.problems.append('event handler attribute ' + k)
        if tag == 'a' and 'href' in a:
            self.links.append(a['href'])


def main():
    site = os.path.realpath(sys.argv[1])
    pages, checked, broken = {}, 0, 0
    for top, _, files in os.walk(site):
        for f in files:
            if f.endswith('.html'):
                path = os.path.join(top, f)
                p = Page()
                with open(path, encoding='utf-8') as fh:
                    p.feed(fh.read())
                pages[path] = p
    for path, p in sorted(pages.items()):
        rel = os.path.relpath(path, site)
        for problem in p.problems:
            print(f'{rel}: {problem}')
            broken += 1
        if not p.csp:
            print(f'{rel}: no Content-Security-Policy')
            broken += 1
        for href in p.links:
            u = urlsplit(href)
            if u.scheme in ('http', 'https', 'mailto'):
                continue
            checked += 1
            if u.scheme or u.netloc:
                print(f'{rel}: link with scheme {href!r}')
                broken += 1
                continue
            target = path if not u.path else os.path.realpath(os.path.join(os.path.dirname(path), unquote(u.path)))
            if not (target == site or target.startswith(site + os.sep)):
                print(f'{rel}: {href!r} leaves the site')
                broken += 1
            elif not os.path.isfile(target):
                print(f'{rel}: {href!r} resolves to nothing')
                broken += 1
            elif u.fragment and target.endswith('.html') and unquote(u.fragment) not in pages[target].ids:
                print(f'{rel}: {href!r} names no id on its page')
                broken += 1
    print(f'links: {checked} checked in {len(pages)} pages, {broken} broken')
    return 1 if broken or not pages else 0


sys.exit(main())
