"""Which line of a TOML text defines which key, so a problem can say "line 14".

tomllib gives values but no positions. This scanner walks text that tomllib has already
accepted and records, for every key path, the line where it first appears. Paths use the
same shape as pydantic's error locations: ("rounds", 1, "prompt", "en"), with 0-based indexes
for [[array]] tables and inline array items. It never raises: on anything unexpected it
returns what it found so far, and the report simply shows no line number.
"""

from __future__ import annotations

import bisect

KeyPath = tuple[str | int, ...]

_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        self.lines: dict[KeyPath, int] = {}
        self.array_tables: dict[KeyPath, int] = {}   # resolved path -> number of [[...]] seen

    # -- helpers ---------------------------------------------------------------------------
    def line(self) -> int:
        return bisect.bisect_right(self.line_starts, self.pos)

    def peek(self, n: int = 1) -> str:
        return self.text[self.pos:self.pos + n]

    def record(self, path: KeyPath) -> None:
        self.lines.setdefault(path, self.line())

    def skip_space(self, newlines: bool = False) -> None:
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in " \t\r" or (newlines and ch == "\n"):
                self.pos += 1
            elif ch == "#" and newlines:
                self.skip_comment()
            else:
                return

    def skip_comment(self) -> None:
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end < 0 else end

    def skip_line(self) -> None:
        self.skip_comment()
        self.pos += 1

    def string(self) -> str:
        """Consume a string at pos (any of TOML's four kinds) and return its raw content."""
        for quote in ('"""', "'''"):
            if self.peek(3) == quote:
                start = self.pos + 3
                i = start
                while True:
                    end = self.text.find(quote, i)
                    if end < 0:
                        self.pos = len(self.text)
                        return self.text[start:]
                    if quote == '"""' and _escaped(self.text, end):
                        i = end + 1
                        continue
                    # A closing run may be up to five quotes long; the last three close it.
                    while self.text[end + 3:end + 4] == quote[0]:
                        end += 1
                    self.pos = end + 3
                    return self.text[start:end]
        quote = self.peek()
        start = self.pos + 1
        i = start
        while i < len(self.text) and self.text[i] != "\n":
            if self.text[i] == quote and not (quote == '"' and _escaped(self.text, i)):
                self.pos = i + 1
                return self.text[start:i]
            i += 1
        self.pos = i
        return self.text[start:i]

    def key(self) -> list[str]:
        """A dotted key: bare or quoted parts separated by dots."""
        parts: list[str] = []
        while self.pos < len(self.text):
            self.skip_space()
            ch = self.peek()
            if ch in "\"'":
                parts.append(self.string())
            else:
                start = self.pos
                while self.pos < len(self.text) and self.text[self.pos] in _BARE:
                    self.pos += 1
                if self.pos == start:
                    break
                parts.append(self.text[start:self.pos])
            self.skip_space()
            if self.peek() != ".":
                break
            self.pos += 1
        return parts

    def resolve(self, parts: list[str]) -> KeyPath:
        """A header's path with the current index of each array table it passes through."""
        path: KeyPath = ()
        for part in parts:
            path = path + (part,)
            if path in self.array_tables:
                path = path + (self.array_tables[path] - 1,)
        return path

    # -- values ----------------------------------------------------------------------------
    def value(self, path: KeyPath) -> None:
        self.skip_space()
        ch = self.peek()
        if ch in "\"'":
            self.string()
        elif ch == "[":
            self.pos += 1
            index = 0
            while self.pos < len(self.text):
                self.skip_space(newlines=True)
                if self.peek() == "]":
                    self.pos += 1
                    return
                self.record(path + (index,))
                self.value(path + (index,))
                self.skip_space(newlines=True)
                if self.peek() == ",":
                    self.pos += 1
                    index += 1
                elif self.peek() != "]":
                    return
        elif ch == "{":
            self.pos += 1
            while self.pos < len(self.text):
                self.skip_space()
                if self.peek() == "}":
                    self.pos += 1
                    return
                self.key_value(path)
                self.skip_space()
                if self.peek() == ",":
                    self.pos += 1
                elif self.peek() != "}":
                    return
        else:
            while self.pos < len(self.text) and self.text[self.pos] not in ",]}\n#":
                self.pos += 1

    def key_value(self, table: KeyPath) -> None:
        parts = self.key()
        if not parts:
            raise ValueError("no key")
        for i in range(1, len(parts) + 1):
            self.record(table + tuple(parts[:i]))
        self.skip_space()
        if self.peek() != "=":
            raise ValueError("no '='")
        self.pos += 1
        self.value(table + tuple(parts))

    # -- document --------------------------------------------------------------------------
    def document(self) -> None:
        table: KeyPath = ()
        while self.pos < len(self.text):
            self.skip_space()
            ch = self.peek()
            if ch in ("\n", ""):
                self.pos += 1
            elif ch == "#":
                self.skip_line()
            elif self.peek(2) == "[[":
                self.pos += 2
                parts = self.key()
                parent = self.resolve(parts[:-1])
                base = parent + (parts[-1],) if parts else parent
                self.array_tables[base] = self.array_tables.get(base, 0) + 1
                table = base + (self.array_tables[base] - 1,)
                self.record(base)
                self.record(table)
                self.skip_line()
            elif ch == "[":
                self.pos += 1
                table = self.resolve(self.key())
                for i in range(1, len(table) + 1):
                    self.record(table[:i])
                self.skip_line()
            else:
                self.key_value(table)
                self.skip_space()
                if self.peek() == "#":
                    self.skip_comment()


def _escaped(text: str, i: int) -> bool:
    """True when the character at i follows an odd number of backslashes."""
    n = 0
    while i - n - 1 >= 0 and text[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def key_lines(text: str) -> dict[KeyPath, int]:
    """Map each key path in `text` to the 1-based line where it first appears."""
    scanner = _Scanner(text)
    try:
        scanner.document()
    except ValueError:   # text tomllib accepted but this scanner did not follow: keep what we have
        pass
    return scanner.lines


def line_of(lines: dict[KeyPath, int], path: KeyPath) -> int | None:
    """The line of `path`, or of its nearest ancestor that has one."""
    for n in range(len(path), 0, -1):
        if path[:n] in lines:
            return lines[path[:n]]
    return None
