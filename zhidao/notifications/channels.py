"""Delivery channels. A channel gets the stored notification and delivers it its own way.

Channels are listed in settings.NOTIFICATION_CHANNELS (dotted paths); an outside channel is
active only when its settings are filled in (`configured()`), so listing 企业微信 costs nothing
until a federation gives it a corp id and secret. Callers only ever call
`zhidao.notifications.services.notify`; `delivery.py` decides, per user preference, which
channels a notification goes to and retries failures.

The adapters speak the common providers' HTTP JSON shapes with the standard library (urllib),
each raising DeliveryError with the provider's answer when it is refused, so that the delivery
is retried and the admin sees why.
"""

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from functools import cache
from typing import Any

from django.conf import settings
from django.core.cache import cache as django_cache
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import ChannelAddress, Notification

logger = logging.getLogger(__name__)

DEFAULT_CHANNELS = (
    "zhidao.notifications.channels.InAppChannel",
    "zhidao.notifications.channels.EmailChannel",
)


class DeliveryError(Exception):
    """The channel could not deliver (network, refusal): the delivery is retried."""


def _conf(name: str) -> dict[str, Any]:
    return dict(getattr(settings, name, None) or {})


def message_text(notification: Notification) -> str:
    """Title, body and the absolute link, as plain text."""
    parts = [notification.title]
    if notification.body:
        parts.append(notification.body)
    if notification.link:
        base = getattr(settings, "SITE_URL", "").rstrip("/")
        parts.append(f"{base}{notification.link}")
    return "\n".join(parts)


def post_json(url: str, payload: dict, *, headers: dict[str, str] | None = None) -> dict:
    """POST the JSON and return the JSON answer; DeliveryError for anything but a 2xx JSON."""
    data = json.dumps(payload, ensure_ascii=False).encode()
    return _open(url, data=data, headers={"Content-Type": "application/json", **(headers or {})})


def get_json(url: str) -> dict:
    return _open(url)


def _open(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None) -> dict:
    if not url.startswith(("https://", "http://")):
        raise DeliveryError(f"not an HTTP URL: {url[:40]}")
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
    timeout = getattr(settings, "NOTIFICATION_HTTP_TIMEOUT", 10)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310
            body = response.read()
    except urllib.error.HTTPError as error:
        answer = error.read()[:300].decode(errors="replace")
        raise DeliveryError(f"HTTP {error.code}: {answer}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise DeliveryError(f"unreachable: {error}") from error
    try:
        answer = json.loads(body or b"{}")
    except ValueError as error:
        raise DeliveryError(f"not JSON: {body[:200].decode(errors='replace')}") from error
    return answer if isinstance(answer, dict) else {"answer": answer}


def _require_errcode_zero(answer: dict) -> dict:
    """企业微信 and 钉钉 answer HTTP 200 with errcode/errmsg."""
    if answer.get("errcode", 0) != 0:
        raise DeliveryError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")
    return answer


class Channel:
    """Deliver one notification to one address. `send` raises DeliveryError when it fails."""

    name = "channel"
    label: Any = ""
    # Outside channels get a Delivery row and the user's choice; in-app is the row itself.
    external = True
    # Without a choice of the user's: personal channels on, group robots and SMS (paid) off.
    default_enabled = True
    # What the preferences page says the channel needs, when the user has no address for it.
    needs: Any = ""

    def configured(self) -> bool:
        return True

    def address(self, notification: Notification) -> str:
        """Where it goes for this recipient; "" when the recipient cannot be reached."""
        return ""

    def send(self, notification: Notification, address: str) -> None:  # pragma: no cover
        raise NotImplementedError


class InAppChannel(Channel):
    """The stored row is the in-app message (inbox and unread badge): nothing more to do."""

    name = "in_app"
    label = pgettext_lazy("channel", "In-app")
    external = False

    def address(self, notification: Notification) -> str:
        return str(notification.recipient_id)

    def send(self, notification: Notification, address: str = "") -> None:
        return None


class EmailChannel(Channel):
    """Django's mail backend, to recipients with an e-mail address."""

    name = "email"
    label = pgettext_lazy("channel", "E-mail")
    needs = _("an e-mail address on your account")

    def address(self, notification: Notification) -> str:
        return notification.recipient.email or ""

    def send(self, notification: Notification, address: str) -> None:
        body = notification.body
        if notification.link:
            base = getattr(settings, "SITE_URL", "").rstrip("/")
            body = f"{body}\n\n{base}{notification.link}"
        try:
            send_mail(
                subject=notification.title,
                message=body,
                from_email=None,
                recipient_list=[address],
                fail_silently=False,
            )
        except Exception as error:
            raise DeliveryError(f"mail: {error}") from error


def _chat_address(notification: Notification, field: str) -> str:
    address = ChannelAddress.objects.filter(user_id=notification.recipient_id).first()
    return getattr(address, field, "") if address is not None else ""


class SmsChannel(Channel):
    """An SMS gateway of the common providers' shape: POST JSON with the phone numbers, the
    sign name and a template id (or the text), signed with the app key and secret.

    settings.NOTIFICATION_SMS = {"URL", "APP_KEY", "APP_SECRET", "SIGN_NAME", "TEMPLATE_ID"};
    headers X-App-Key, X-Timestamp (seconds), X-Nonce and X-Signature = hex HMAC-SHA256 of
    "<app key>\\n<timestamp>\\n<nonce>\\n<body>" under the secret. The gateway answers
    {"code": "OK"} (or 0) when it accepted the message."""

    name = "sms"
    label = pgettext_lazy("channel", "SMS")
    default_enabled = False
    needs = _("a mobile phone number on your account")

    def configured(self) -> bool:
        conf = _conf("NOTIFICATION_SMS")
        return bool(conf.get("URL") and conf.get("APP_KEY") and conf.get("APP_SECRET"))

    def address(self, notification: Notification) -> str:
        return (notification.recipient.phone or "").strip()

    @staticmethod
    def signature(secret: str, app_key: str, timestamp: str, nonce: str, body: bytes) -> str:
        message = f"{app_key}\n{timestamp}\n{nonce}\n".encode() + body
        return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()

    def send(self, notification: Notification, address: str) -> None:
        conf = _conf("NOTIFICATION_SMS")
        payload: dict[str, Any] = {
            "phoneNumbers": [address],
            "signName": conf.get("SIGN_NAME", ""),
        }
        if conf.get("TEMPLATE_ID"):
            payload["templateId"] = conf["TEMPLATE_ID"]
            payload["templateParams"] = {"title": notification.title[:20]}
        else:
            payload["content"] = message_text(notification)[:300]
        body = json.dumps(payload, ensure_ascii=False).encode()
        timestamp = str(int(time.time()))
        nonce = secrets.token_hex(8)
        headers = {
            "Content-Type": "application/json",
            "X-App-Key": conf["APP_KEY"],
            "X-Timestamp": timestamp,
            "X-Nonce": nonce,
            "X-Signature": self.signature(
                conf["APP_SECRET"], conf["APP_KEY"], timestamp, nonce, body
            ),
        }
        answer = _open(conf["URL"], data=body, headers=headers)
        if str(answer.get("code", "")).upper() not in ("OK", "0"):
            raise DeliveryError(f"SMS refused: {answer.get('code')} {answer.get('message', '')}")


class _TokenChannel(Channel):
    """An application message API with an access token from gettoken, cached until it
    expires and fetched again once when the provider says it is no longer valid."""

    settings_name = ""
    address_field = ""
    expired_codes: tuple[int, ...] = ()

    def conf(self) -> dict[str, Any]:
        return _conf(self.settings_name)

    def address(self, notification: Notification) -> str:
        return _chat_address(notification, self.address_field).strip()

    def _token_url(self, conf: dict[str, Any]) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def _send_url(self, conf: dict[str, Any], token: str) -> str:  # pragma: no cover
        raise NotImplementedError

    def _payload(
        self, conf: dict[str, Any], notification, address: str
    ) -> dict:  # pragma: no cover
        raise NotImplementedError

    def _cache_key(self) -> str:
        return f"notifications:{self.name}:token"

    def token(self, *, fresh: bool = False) -> str:
        if not fresh:
            cached = django_cache.get(self._cache_key())
            if cached:
                return cached
        answer = _require_errcode_zero(get_json(self._token_url(self.conf())))
        token = answer.get("access_token") or ""
        if not token:
            raise DeliveryError("no access_token in the answer")
        lifetime = int(answer.get("expires_in", 7200))
        django_cache.set(self._cache_key(), token, max(lifetime - 300, 60))
        return token

    def send(self, notification: Notification, address: str) -> None:
        conf = self.conf()
        payload = self._payload(conf, notification, address)
        answer = post_json(self._send_url(conf, self.token()), payload)
        if answer.get("errcode") in self.expired_codes:
            answer = post_json(self._send_url(conf, self.token(fresh=True)), payload)
        _require_errcode_zero(answer)


class WecomAppChannel(_TokenChannel):
    """企业微信 application message: gettoken with corpid/corpsecret, then message/send with
    touser = the user's 企业微信 userid. settings.NOTIFICATION_WECOM = {"CORP_ID", "CORP_SECRET",
    "AGENT_ID", "API_BASE" (default https://qyapi.weixin.qq.com)}."""

    name = "wecom"
    label = pgettext_lazy("channel", "WeCom")
    settings_name = "NOTIFICATION_WECOM"
    address_field = "wecom_userid"
    needs = _("your WeCom user id")
    # 40014 invalid access_token, 42001 access_token expired
    expired_codes = (40014, 42001)

    def configured(self) -> bool:
        conf = self.conf()
        return bool(conf.get("CORP_ID") and conf.get("CORP_SECRET") and conf.get("AGENT_ID"))

    def _base(self, conf) -> str:
        return str(conf.get("API_BASE") or "https://qyapi.weixin.qq.com").rstrip("/")

    def _token_url(self, conf) -> str:
        query = urllib.parse.urlencode(
            {"corpid": conf["CORP_ID"], "corpsecret": conf["CORP_SECRET"]}
        )
        return f"{self._base(conf)}/cgi-bin/gettoken?{query}"

    def _send_url(self, conf, token: str) -> str:
        return f"{self._base(conf)}/cgi-bin/message/send?access_token={urllib.parse.quote(token)}"

    def _payload(self, conf, notification, address: str) -> dict:
        return {
            "touser": address,
            "msgtype": "text",
            "agentid": int(conf["AGENT_ID"]),
            "text": {"content": message_text(notification)},
        }


class DingtalkWorkChannel(_TokenChannel):
    """钉钉 work notification (工作通知): gettoken with the app key/secret, then
    asyncsend_v2 with userid_list = the user's 钉钉 userid. settings.NOTIFICATION_DINGTALK =
    {"APP_KEY", "APP_SECRET", "AGENT_ID", "API_BASE" (default https://oapi.dingtalk.com)}."""

    name = "dingtalk"
    label = pgettext_lazy("channel", "DingTalk")
    settings_name = "NOTIFICATION_DINGTALK"
    address_field = "dingtalk_userid"
    needs = _("your DingTalk user id")
    # 40014 invalid access_token, 42001 expired, 88 / 40001 authorization
    expired_codes = (40014, 42001)

    def configured(self) -> bool:
        conf = self.conf()
        return bool(conf.get("APP_KEY") and conf.get("APP_SECRET") and conf.get("AGENT_ID"))

    def _base(self, conf) -> str:
        return str(conf.get("API_BASE") or "https://oapi.dingtalk.com").rstrip("/")

    def _token_url(self, conf) -> str:
        query = urllib.parse.urlencode({"appkey": conf["APP_KEY"], "appsecret": conf["APP_SECRET"]})
        return f"{self._base(conf)}/gettoken?{query}"

    def _send_url(self, conf, token: str) -> str:
        return (
            f"{self._base(conf)}/topapi/message/corpconversation/asyncsend_v2"
            f"?access_token={urllib.parse.quote(token)}"
        )

    def _payload(self, conf, notification, address: str) -> dict:
        return {
            "agent_id": int(conf["AGENT_ID"]),
            "userid_list": address,
            "msg": {"msgtype": "text", "text": {"content": message_text(notification)}},
        }


class WecomRobotChannel(Channel):
    """企业微信 group robot (群机器人): POST {msgtype: markdown} to the webhook URL (its key is
    in the URL), mentioning the recipient by mobile phone when the account has one.
    settings.NOTIFICATION_WECOM_ROBOT = {"WEBHOOK_URL"}."""

    name = "wecom_robot"
    label = pgettext_lazy("channel", "WeCom group robot")
    default_enabled = False

    def configured(self) -> bool:
        return bool(_conf("NOTIFICATION_WECOM_ROBOT").get("WEBHOOK_URL"))

    def address(self, notification: Notification) -> str:
        return "group"

    def send(self, notification: Notification, address: str) -> None:
        url = _conf("NOTIFICATION_WECOM_ROBOT")["WEBHOOK_URL"]
        recipient = notification.recipient
        name = recipient.get_full_name() or recipient.get_username()
        payload: dict[str, Any] = {
            "msgtype": "text",
            "text": {"content": f"{name}：{message_text(notification)}"},
        }
        if recipient.phone:
            payload["text"]["mentioned_mobile_list"] = [recipient.phone]
        _require_errcode_zero(post_json(url, payload))


class DingtalkRobotChannel(Channel):
    """钉钉 group robot (自定义机器人) with 加签: the webhook URL gets `timestamp` (ms) and
    `sign` = base64(HMAC-SHA256("<timestamp>\\n<secret>") under the secret), URL-encoded.
    settings.NOTIFICATION_DINGTALK_ROBOT = {"WEBHOOK_URL", "SECRET"}."""

    name = "dingtalk_robot"
    label = pgettext_lazy("channel", "DingTalk group robot")
    default_enabled = False

    def configured(self) -> bool:
        return bool(_conf("NOTIFICATION_DINGTALK_ROBOT").get("WEBHOOK_URL"))

    def address(self, notification: Notification) -> str:
        return "group"

    @staticmethod
    def sign(secret: str, timestamp: str) -> str:
        digest = hmac.new(
            secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256
        ).digest()
        return base64.b64encode(digest).decode()

    def signed_url(self) -> str:
        conf = _conf("NOTIFICATION_DINGTALK_ROBOT")
        url = conf["WEBHOOK_URL"]
        secret = conf.get("SECRET") or ""
        if not secret:
            return url
        timestamp = str(int(time.time() * 1000))
        query = urllib.parse.urlencode(
            {"timestamp": timestamp, "sign": self.sign(secret, timestamp)}
        )
        return f"{url}{'&' if '?' in url else '?'}{query}"

    def send(self, notification: Notification, address: str) -> None:
        recipient = notification.recipient
        name = recipient.get_full_name() or recipient.get_username()
        text = f"#### {notification.title}\n\n{name}：{notification.body}"
        if notification.link:
            base = getattr(settings, "SITE_URL", "").rstrip("/")
            text += f"\n\n[{_('Open')}]({base}{notification.link})"
        payload: dict[str, Any] = {
            "msgtype": "markdown",
            "markdown": {"title": notification.title, "text": text},
        }
        if recipient.phone:
            payload["at"] = {"atMobiles": [recipient.phone], "isAtAll": False}
            payload["markdown"]["text"] += f" @{recipient.phone}"
        _require_errcode_zero(post_json(self.signed_url(), payload))


@cache
def _load(paths: tuple[str, ...]) -> tuple[Channel, ...]:
    return tuple(import_string(path)() for path in paths)


def listed_channels() -> tuple[Channel, ...]:
    """Every channel of settings.NOTIFICATION_CHANNELS, set up or not."""
    return _load(tuple(getattr(settings, "NOTIFICATION_CHANNELS", DEFAULT_CHANNELS)))


def configured_channels() -> tuple[Channel, ...]:
    """The listed channels whose settings are filled in."""
    return tuple(channel for channel in listed_channels() if channel.configured())


def external_channels() -> tuple[Channel, ...]:
    return tuple(channel for channel in configured_channels() if channel.external)


def channel_named(name: str) -> Channel | None:
    return next((channel for channel in listed_channels() if channel.name == name), None)
