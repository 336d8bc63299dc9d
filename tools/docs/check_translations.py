#!/usr/bin/env python3
"""Checks the translated README and @example snippets in a jsii-rosetta tablet.

Usage: check_translations.py TABLET PYTHON_PACKAGE_DIR [--readme README.md --go-mod go.mod]

Python (parsed with `ast`, not just compiled):
  - every name a snippet uses is imported, defined in the snippet, a builtin, or `self` (the fixture's stack);
  - every name imported from the library's module exists in the generated sources;
  - a call to a generated class or static method passes positionally no more than the generated signature allows
    (jsii makes struct members keyword-only) and no keyword the signature doesn't have.
Go and Java (text heuristics on the translation):
  - Go: no `variable.lowerCase` field reads (jsii properties are getter methods `X.Name()`), no dereferenced
    enum constants;
  - Java: no `variable.lowerCase` field reads (jsii properties are `getName()`).
Go module: the README's `go get` path equals the generated go.mod's module path.

Prints one line per problem and exits 1 when there is any.
"""
import argparse
import ast
import builtins
import json
import os
import re
import sys

FIXTURE_NAMES = {'self'}


class Signature:
    def __init__(self, positional, kwonly, has_varargs, has_varkw):
        self.positional = positional
        self.kwonly = kwonly
        self.has_varargs = has_varargs
        self.has_varkw = has_varkw

    def check(self, call, label):
        problems = []
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return problems
        if not self.has_varargs and len(call.args) > len(self.positional):
            problems.append(
                f'{label} takes {len(self.positional)} positional argument(s) '
                f'({", ".join(self.positional) or "none"}), the snippet passes {len(call.args)}'
                + (f'; pass the rest by keyword ({", ".join(self.kwonly)})' if self.kwonly else '')
            )
        known = set(self.positional) | set(self.kwonly)
        for kw in call.keywords:
            if not self.has_varkw and kw.arg not in known:
                problems.append(f'{label} has no keyword argument `{kw.arg}`')
        return problems


def signature_of(fn, drop_first):
    args = fn.args
    positional = [a.arg for a in args.posonlyargs + args.args]
    if drop_first and positional:
        positional = positional[1:]
    return Signature(positional, [a.arg for a in args.kwonlyargs], args.vararg is not None, args.kwarg is not None)


def load_generated(package_dir):
    """Classes of the generated package: name -> {'__init__': Signature, static method name -> Signature}."""
    classes = {}
    for root, _dirs, files in os.walk(package_dir):
        for name in files:
            if not name.endswith('.py'):
                continue
            with open(os.path.join(root, name), encoding='utf-8') as f:
                tree = ast.parse(f.read())
            for node in tree.body:
                if not isinstance(node, ast.ClassDef) or node.name.startswith('_'):
                    continue
                members = classes.setdefault(node.name, {})
                for item in node.body:
                    if not isinstance(item, ast.FunctionDef):
                        continue
                    decorators = {d.id for d in item.decorator_list if isinstance(d, ast.Name)} | {
                        d.attr for d in item.decorator_list if isinstance(d, ast.Attribute)
                    }
                    if item.name == '__init__':
                        members['__init__'] = signature_of(item, True)
                    elif 'classmethod' in decorators or 'staticmethod' in decorators:
                        members[item.name] = signature_of(item, 'classmethod' in decorators)
    return classes


class Scope(ast.NodeVisitor):
    """Collects the names a snippet binds anywhere (good enough for flat example code) and the names it loads."""

    def __init__(self):
        self.bound = set()
        self.loaded = []

    def visit_Import(self, node):
        for a in node.names:
            self.bound.add((a.asname or a.name).split('.')[0])

    def visit_ImportFrom(self, node):
        for a in node.names:
            self.bound.add(a.asname or a.name)

    def visit_Name(self, node):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self.bound.add(node.id)
        else:
            self.loaded.append(node)

    def visit_FunctionDef(self, node):
        self.bound.add(node.name)
        for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs:
            self.bound.add(a.arg)
        for a in (node.args.vararg, node.args.kwarg):
            if a is not None:
                self.bound.add(a.arg)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        self.bound.add(node.name)
        self.generic_visit(node)

    def visit_ExceptHandler(self, node):
        if node.name:
            self.bound.add(node.name)
        self.generic_visit(node)


def check_python(source, module, classes):
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        return [f'does not parse: {err.msg} (line {err.lineno})']
    scope = Scope()
    scope.visit(tree)
    known = scope.bound | FIXTURE_NAMES | set(dir(builtins))
    problems = []
    for name in sorted({n.id for n in scope.loaded if n.id not in known}):
        first = min(n.lineno for n in scope.loaded if n.id == name)
        problems.append(f'line {first}: `{name}` is used but neither imported nor defined')
    library_names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split('.')[0] == module:
            for a in node.names:
                if node.module == module and a.name not in classes:
                    problems.append(f'line {node.lineno}: `{a.name}` is not in the generated module {module}')
                library_names.add(a.asname or a.name)
    # Generated classes used without an import are reported above; their calls are still checked.
    callable_names = library_names | ({n.id for n in scope.loaded} & set(classes)) - (scope.bound - library_names)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in callable_names:
            sig = classes.get(func.id, {}).get('__init__')
            if sig:
                problems += [f'line {node.lineno}: {p}' for p in sig.check(node, f'{func.id}(...)')]
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in callable_names:
            sig = classes.get(func.value.id, {}).get(func.attr)
            if sig:
                problems += [f'line {node.lineno}: {p}' for p in sig.check(node, f'{func.value.id}.{func.attr}(...)')]
    return problems


def code_only(source, line_comment):
    """The source with string literals and comments blanked out, so text heuristics see code only."""
    source = re.sub(r'"(?:[^"\\\n]|\\.)*"|`[^`]*`', '""', source)
    return re.sub(re.escape(line_comment) + r'.*', '', source)


GO_FIELD_READ = re.compile(r'(?<![\w.*&])([a-z]\w*)\.([a-z]\w*)\b(?!\s*\()')
GO_DEREF_CONST = re.compile(r'\*\s*[a-z]\w*\.[A-Z]\w*_[A-Z0-9_]+\b')
JAVA_FIELD_READ = re.compile(r'(?<![\w.])([a-z]\w*)\.([a-z]\w*)\b(?!\s*\()')
JAVA_PACKAGE_ROOTS = {'software', 'java', 'javax', 'com', 'org', 'this', 'super'}


def check_go(source):
    code = code_only(source, '//')
    problems = [f'`{m.group(0)}` reads a jsii property as a field (use {m.group(1)}.{m.group(2)[0].upper()}{m.group(2)[1:]}())'
                for m in GO_FIELD_READ.finditer(code) if m.group(1) != 'jsii']
    problems += [f'`{m.group(0)}` dereferences an enum constant' for m in GO_DEREF_CONST.finditer(code)]
    return problems


def check_java(source):
    code = code_only(source, '//')
    code = re.sub(r'^\s*import .*$', '', code, flags=re.M)
    return [f'`{m.group(0)}` reads a jsii property as a field (use {m.group(1)}.get{m.group(2)[0].upper()}{m.group(2)[1:]}())'
            for m in JAVA_FIELD_READ.finditer(code) if m.group(1) not in JAVA_PACKAGE_ROOTS]


def where(snippet):
    loc = snippet.get('location', {})
    api = loc.get('api', {})
    field = loc.get('field', {})
    name = api.get('fqn') or api.get('moduleFqn') or '?'
    if api.get('memberName'):
        name += '#' + api['memberName']
    kind = api.get('api', '')
    line = field.get('line')
    return f'{kind} {name}' + (f' (markdown line {line})' if line else '')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('tablet')
    parser.add_argument('python_package_dir')
    parser.add_argument('--readme')
    parser.add_argument('--go-mod')
    args = parser.parse_args()

    with open(args.tablet, encoding='utf-8') as f:
        tablet = json.load(f)
    module = os.path.basename(os.path.normpath(args.python_package_dir))
    classes = load_generated(args.python_package_dir)
    problems = []
    snippets = tablet.get('snippets', {})
    for snippet in snippets.values():
        translations = snippet.get('translations', {})
        label = where(snippet)
        if 'python' in translations:
            problems += [f'python {label}: {p}' for p in check_python(translations['python']['source'], module, classes)]
        if 'go' in translations:
            problems += [f'go {label}: {p}' for p in check_go(translations['go']['source'])]
        if 'java' in translations:
            problems += [f'java {label}: {p}' for p in check_java(translations['java']['source'])]

    if args.readme and args.go_mod:
        with open(args.go_mod, encoding='utf-8') as f:
            module_path = re.search(r'^module\s+(\S+)', f.read(), re.M).group(1)
        with open(args.readme, encoding='utf-8') as f:
            readme = f.read()
        gets = re.findall(r'go get (\S+?)`?(?:\s|$)', readme)
        if not gets:
            problems.append(f'README: no `go get` line (the module is {module_path})')
        for path in gets:
            if path.split('@')[0] != module_path:
                problems.append(f'README: `go get {path}` is not the generated module path {module_path}')

    for p in problems:
        print(p)
    print(f'checked {len(snippets)} snippet(s): {len(problems)} problem(s)', file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
