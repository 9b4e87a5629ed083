"""Key files and the master key: created private, never overwritten, refused when exposed."""

from __future__ import annotations

import base64
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr
from sqlalchemy import event
from sqlalchemy.pool import Pool
from tests.conftest import make_settings

from opeka.app import Opeka
from opeka.ops.init import initialise
from opeka.settings import Settings
from opeka.vault.errors import KeyFileError
from opeka.vault.keyfiles import (
    KEY_BYTES,
    MasterKey,
    decode_master_key,
    load_master_key,
    load_signing_key,
    new_master_key_text,
    read_secret_file,
    write_secret_file,
)

secrets = st.binary(min_size=KEY_BYTES, max_size=KEY_BYTES)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def fresh_key_text() -> str:
    return base64.b64encode(os.urandom(KEY_BYTES)).decode()


@contextmanager
def closing_leaked_connections() -> Iterator[list[Any]]:
    """Record DBAPI connections opened inside the block; close whichever the pool never closed.

    ``Opeka.__init__`` creates its engines before it checks the keys and does not dispose them
    when it refuses to start (see ``test_a_refused_start_leaves_no_connection_open``); this keeps
    such a leak from surfacing as a ResourceWarning in some later test.
    """
    opened: list[Any] = []
    closed: list[Any] = []

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        opened.append(dbapi_connection)

    def on_close(dbapi_connection: Any, _record: Any) -> None:
        closed.append(dbapi_connection)

    event.listen(Pool, "connect", on_connect)
    event.listen(Pool, "close", on_close)
    leaked: list[Any] = []
    try:
        yield leaked
    finally:
        event.remove(Pool, "connect", on_connect)
        event.remove(Pool, "close", on_close)
        leaked += [c for c in opened if not any(c is d for d in closed)]
        for connection in leaked:
            connection.close()


def refusal(settings: Settings) -> str:
    """The KeyFileError message of an Opeka that refuses to start with ``settings``."""
    with closing_leaked_connections(), pytest.raises(KeyFileError) as info:
        Opeka(settings).close()
    assert info.value.__cause__ is None
    return str(info.value)


# --- secret files -----------------------------------------------------------------------------


def test_a_secret_file_is_created_0600_in_a_0700_folder(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "master.key"
    write_secret_file(path, b"secret\n")
    assert path.read_bytes() == b"secret\n"
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700


def test_writing_a_secret_tightens_an_existing_open_folder(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    write_secret_file(folder / "journal-signing.key", b"pem")
    assert mode(folder) == 0o700


def test_a_secret_file_is_0600_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        write_secret_file(tmp_path / "keys" / "master.key", b"k")
    finally:
        os.umask(previous)
    assert mode(tmp_path / "keys" / "master.key") == 0o600


def test_an_existing_key_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "master.key"
    write_secret_file(path, b"original")
    with pytest.raises(KeyFileError, match="already exists; refusing to overwrite a key"):
        write_secret_file(path, b"replacement")
    assert path.read_bytes() == b"original"


@pytest.mark.parametrize("exposed", [0o640, 0o604, 0o644, 0o660, 0o666, 0o620, 0o602, 0o610])
def test_a_key_file_others_can_access_is_refused_naming_chmod_600(
    tmp_path: Path, exposed: int
) -> None:
    path = tmp_path / "master.key"
    write_secret_file(path, b"secret")
    path.chmod(exposed)
    with pytest.raises(KeyFileError, match="readable by others") as info:
        read_secret_file(path)
    assert f"`chmod 600 {path}`" in str(info.value)


@pytest.mark.parametrize("private", [0o600, 0o400, 0o700])
def test_a_key_file_only_its_owner_can_access_is_read(tmp_path: Path, private: int) -> None:
    path = tmp_path / "master.key"
    write_secret_file(path, b"secret")
    path.chmod(private)
    assert read_secret_file(path) == b"secret"


def test_a_missing_key_file_says_to_run_opeka_init(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="is missing; run `opeka init` first"):
        read_secret_file(tmp_path / "keys" / "master.key")


def test_initialise_creates_both_key_files_private_and_keeps_them_on_a_second_run(
    tmp_path: Path,
) -> None:
    settings = make_settings(tmp_path, "sqlite")
    initialise(settings)
    files = (settings.master_key_file, settings.signing_key_file)
    before = [f.read_bytes() for f in files]
    assert [mode(f) for f in files] == [0o600, 0o600]
    assert mode(settings.keys_dir) == 0o700
    assert mode(settings.data_dir) == 0o700
    report = initialise(settings)
    assert [f.read_bytes() for f in files] == before
    assert any("master key" in kept for kept in report.kept)
    assert any("signing key" in kept for kept in report.kept)


def test_a_signing_key_file_that_is_not_pem_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal-signing.key"
    write_secret_file(path, b"not a key")
    with pytest.raises(KeyFileError, match="not an Ed25519 private key in PEM"):
        load_signing_key(path)


# --- the master key's text --------------------------------------------------------------------


@given(secrets)
def test_the_master_key_is_accepted_in_standard_and_url_safe_base64(secret: bytes) -> None:
    standard = base64.b64encode(secret).decode()
    url_safe = base64.urlsafe_b64encode(secret).decode()
    assert decode_master_key(standard) == secret
    assert decode_master_key(url_safe) == secret
    assert decode_master_key(f"  {standard}\n") == secret


@given(secrets)
def test_both_base64_forms_of_a_key_derive_the_same_working_keys(secret: bytes) -> None:
    standard = MasterKey.from_secret(decode_master_key(base64.b64encode(secret).decode()))
    url_safe = MasterKey.from_secret(decode_master_key(base64.urlsafe_b64encode(secret).decode()))
    assert standard == url_safe
    assert standard.wrap_key != standard.index_key != secret


def test_a_new_master_key_text_decodes_to_32_bytes() -> None:
    assert len(decode_master_key(new_master_key_text())) == KEY_BYTES


@given(st.binary(max_size=80).filter(lambda raw: len(raw) != KEY_BYTES))
def test_a_master_key_of_the_wrong_length_is_refused_saying_so(raw: bytes) -> None:
    for text in (base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()):
        with pytest.raises(KeyFileError) as info:
            decode_master_key(text)
        assert str(info.value) == f"the master key must decode to 32 bytes, got {len(raw)}"
        assert info.value.__cause__ is None


@pytest.mark.parametrize(
    "text",
    [
        "ключ шифрования",
        "not base64 at all!!",
        base64.b64encode(bytes(32)).decode().rstrip("="),  # padding lost
        base64.b64encode(bytes(32)).decode()[:-2] + "=",
    ],
)
def test_text_that_is_not_base64_is_refused_with_one_clear_message(text: str) -> None:
    with pytest.raises(KeyFileError) as info:
        decode_master_key(text)
    assert str(info.value) == "the master key is not valid base64"
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


@given(st.text(max_size=80))
def test_decoding_any_text_yields_32_bytes_or_one_key_file_error(text: str) -> None:
    try:
        raw = decode_master_key(text)
    except KeyFileError as exc:
        message = str(exc)
        assert message.startswith("the master key ")
        assert "\n" not in message
        return
    assert len(raw) == KEY_BYTES


LENIENT_BASE64_BUG = (
    "src bug: decode_master_key calls base64.b64decode(..., validate=False), which silently "
    "drops characters outside the alphabet instead of refusing them"
)


@pytest.mark.parametrize("junk", ["*", "!", "%", ".", '"'])
def test_a_master_key_with_a_stray_non_base64_character_is_refused(junk: str) -> None:
    key = fresh_key_text()
    with pytest.raises(KeyFileError, match="not valid base64"):
        decode_master_key(key[:10] + junk + key[10:])


def test_a_master_key_of_only_non_base64_characters_is_called_not_base64() -> None:
    with pytest.raises(KeyFileError, match="not valid base64"):
        decode_master_key("%" * 44)


# --- OPEKA_MASTER_KEY -------------------------------------------------------------------------


@pytest.mark.parametrize("encode", [base64.b64encode, base64.urlsafe_b64encode])
def test_opeka_master_key_from_the_environment_is_used_without_a_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encode: Callable[[bytes], bytes]
) -> None:
    secret = bytes(range(250, 256)) + os.urandom(KEY_BYTES - 6)  # forces '+/' or '-_' chars
    monkeypatch.setenv("OPEKA_MASTER_KEY", encode(secret).decode())
    settings = Settings(data_dir=tmp_path / "data", environment="test")
    assert settings.master_key is not None
    master = load_master_key(
        env_value=settings.master_key.get_secret_value(), key_file=settings.master_key_file
    )
    assert master == MasterKey.from_secret(secret)
    assert not settings.master_key_file.exists()


def test_an_opeka_initialised_with_a_standard_key_starts_with_its_url_safe_form(
    make_opeka: Callable[..., Opeka],
) -> None:
    secret = bytes(range(248, 256)) + os.urandom(KEY_BYTES - 8)
    first = make_opeka(master_key=base64.b64encode(secret).decode())
    assert not first.settings.master_key_file.exists()
    url_safe = SecretStr(base64.urlsafe_b64encode(secret).decode())
    second = Opeka(first.settings.model_copy(update={"master_key": url_safe}))
    try:
        assert second.master.key_id == first.master.key_id
    finally:
        second.close()


@pytest.mark.parametrize("text", ["c2hvcnQ=", "not base64 at all!!"])
def test_an_invalid_opeka_master_key_stops_the_start_with_a_key_file_error(
    make_opeka: Callable[..., Opeka], text: str
) -> None:
    settings = make_opeka().settings
    message = refusal(settings.model_copy(update={"master_key": SecretStr(text)}))
    assert message.startswith("the master key ")


# --- a master key that does not match the database --------------------------------------------


def test_an_opeka_with_another_master_key_in_the_environment_refuses_to_start(
    make_opeka: Callable[..., Opeka],
) -> None:
    settings = make_opeka(master_key=fresh_key_text()).settings
    other = settings.model_copy(update={"master_key": SecretStr(fresh_key_text())})
    assert refusal(other) == (
        "the master key does not match the one this database was initialised with"
    )


def test_an_opeka_with_a_replaced_master_key_file_refuses_to_start(
    make_opeka: Callable[..., Opeka],
) -> None:
    settings = make_opeka().settings
    settings.master_key_file.unlink()
    write_secret_file(settings.master_key_file, (new_master_key_text() + "\n").encode())
    assert "does not match" in refusal(settings)


def test_an_opeka_whose_key_file_became_readable_by_others_refuses_to_start(
    make_opeka: Callable[..., Opeka],
) -> None:
    settings = make_opeka().settings
    settings.master_key_file.chmod(0o644)
    assert f"`chmod 600 {settings.master_key_file}`" in refusal(settings)


def test_an_opeka_whose_signing_key_became_readable_by_others_refuses_to_start(
    make_opeka: Callable[..., Opeka],
) -> None:
    settings = make_opeka().settings
    settings.signing_key_file.chmod(0o640)
    assert f"`chmod 600 {settings.signing_key_file}`" in refusal(settings)


ENGINE_LEAK_BUG = (
    "src bug: Opeka.__init__ builds its engines, then checks the master key (read_meta leaves "
    "a pooled connection open) and raises KeyFileError without disposing of the engines"
)


def test_a_refused_start_leaves_no_connection_open(make_opeka: Callable[..., Opeka]) -> None:
    settings = make_opeka().settings
    other = settings.model_copy(update={"master_key": SecretStr(fresh_key_text())})
    with closing_leaked_connections() as leaked, pytest.raises(KeyFileError):
        Opeka(other)
    assert leaked == []
