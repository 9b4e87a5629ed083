"""Each mailer delivers (memory, outbox files, SMTP to a tiny in-test server); the factory picks."""

from __future__ import annotations

import email
import email.policy
import socket
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from opeka.mail.errors import DeliveryFailed, MailNotConfigured
from opeka.mail.factory import build_mailer, outbox_dir
from opeka.mail.mailers import FileOutbox, Mailer, MemoryMailer, SmtpMailer
from opeka.mail.message import OutgoingMail
from opeka.settings import Settings

MAIL = OutgoingMail(to="anna@example.org", subject="Сброс пароля / Password reset", text="Ссылка\n")
SENDER = "noreply@wwgroup.ru"


def settings(tmp_path: Path, **values: object) -> Settings:
    base: dict[str, object] = {"data_dir": tmp_path, "environment": "test", "master_key": None}
    return Settings(**(base | values))  # type: ignore[arg-type]


def test_every_mailer_is_a_mailer(tmp_path: Path) -> None:
    for mailer in (MemoryMailer(), FileOutbox(tmp_path, SENDER), SmtpMailer("h", 25, SENDER)):
        assert isinstance(mailer, Mailer)


def test_the_memory_mailer_keeps_what_it_sent() -> None:
    mailer = MemoryMailer()
    mailer.send(MAIL)
    assert mailer.sent == [MAIL]


def test_the_outbox_writes_one_private_eml_per_message(tmp_path: Path) -> None:
    outbox = FileOutbox(tmp_path / "outbox", SENDER)
    outbox.send(MAIL)
    outbox.send(MAIL)
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 2
    assert stat.S_IMODE((tmp_path / "outbox").stat().st_mode) == 0o700
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in files)
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == "anna@example.org"
    assert message["From"] == SENDER
    assert str(message["Subject"]) == MAIL.subject
    assert message.get_content() == "Ссылка\n"


class FakeSmtp:
    """A minimal SMTP server on localhost: one session at a time, messages kept in memory."""

    def __init__(self, *, refuse_recipient: bool = False) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.refuse_recipient = refuse_recipient
        self.received: list[bytes] = []
        self.commands: list[str] = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        conn, _ = self.server.accept()
        with conn, conn.makefile("rb") as reader:
            conn.sendall(b"220 fake ESMTP\r\n")
            while line := reader.readline():
                if not self.answer(conn, reader, line.decode().strip()):
                    break

    def answer(self, conn: socket.socket, reader: object, command: str) -> bool:
        verb = command.split(" ", 1)[0].upper()
        self.commands.append(verb)
        if verb == "EHLO":
            conn.sendall(b"250-fake\r\n250 8BITMIME\r\n")
        elif verb == "RCPT" and self.refuse_recipient:
            conn.sendall(b"550 no such user\r\n")
        elif verb == "DATA":
            conn.sendall(b"354 go ahead\r\n")
            body = b""
            while (chunk := reader.readline()) != b".\r\n":  # type: ignore[attr-defined]
                body += chunk
            self.received.append(body)
            conn.sendall(b"250 queued\r\n")
        elif verb == "QUIT":
            conn.sendall(b"221 bye\r\n")
            return False
        else:
            conn.sendall(b"250 ok\r\n")
        return True

    def close(self) -> None:
        self.server.close()
        self.thread.join(5)


@pytest.fixture
def smtp() -> Iterator[FakeSmtp]:
    server = FakeSmtp()
    yield server
    server.close()


def test_the_smtp_mailer_delivers_to_the_server(smtp: FakeSmtp) -> None:
    SmtpMailer("127.0.0.1", smtp.port, SENDER, starttls=False, timeout=5).send(MAIL)
    smtp.thread.join(5)
    assert smtp.commands[:3] == ["EHLO", "MAIL", "RCPT"]
    message = email.message_from_bytes(smtp.received[0], policy=email.policy.default)
    assert message["To"] == "anna@example.org"
    assert message.get_content().replace("\r\n", "\n") == "Ссылка\n"  # CRLF on the wire


def test_a_refused_delivery_names_no_recipient() -> None:
    server = FakeSmtp(refuse_recipient=True)
    try:
        with pytest.raises(DeliveryFailed) as caught:
            SmtpMailer("127.0.0.1", server.port, SENDER, starttls=False, timeout=5).send(MAIL)
    finally:
        server.close()
    assert "anna@example.org" not in str(caught.value)


def test_an_unreachable_server_is_a_delivery_failure() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    with pytest.raises(DeliveryFailed):
        SmtpMailer("127.0.0.1", port, SENDER, starttls=False, timeout=2).send(MAIL)


def test_the_smtp_password_stays_out_of_repr() -> None:
    mailer = SmtpMailer("smtp.example.org", 587, SENDER, username="u", password="s3cret-pw")
    assert "s3cret-pw" not in repr(mailer)


def test_the_factory_picks_smtp_when_a_host_is_set(tmp_path: Path) -> None:
    conf = settings(
        tmp_path,
        smtp_host="smtp.example.org",
        smtp_port=2525,
        smtp_username="opeka",
        smtp_password="pw",
        smtp_starttls=False,
        mail_from=SENDER,
    )
    mailer = build_mailer(conf)
    assert isinstance(mailer, SmtpMailer)
    assert (mailer.host, mailer.port, mailer.username, mailer.password) == (
        "smtp.example.org",
        2525,
        "opeka",
        "pw",
    )
    assert not mailer.starttls


def test_the_factory_picks_the_outbox_in_development(tmp_path: Path) -> None:
    mailer = build_mailer(settings(tmp_path, environment="development"))
    assert mailer == FileOutbox(outbox_dir(settings(tmp_path)), sender="noreply@localhost")
    assert outbox_dir(settings(tmp_path)) == tmp_path / "outbox"


def test_the_factory_refuses_production_without_smtp(tmp_path: Path) -> None:
    conf = settings(
        tmp_path,
        environment="production",
        database_url="postgresql+psycopg://u@h/db",
        master_key="x",
    )
    with pytest.raises(MailNotConfigured, match="OPEKA_SMTP_HOST"):
        build_mailer(conf)
