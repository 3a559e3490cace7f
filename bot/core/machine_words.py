"""The words machines write: subjects and body phrases of bounces, delay notices, auto-replies, read
receipts, feedback reports, challenge-response requests and list-manager notices, in the languages
mail systems use.

Drawn from RFC 3464/3798/3834/5965/6522 and from the detectors of sisimai (lib/sisimai/order.rb,
rfc3834.rb, lhost/*), flufl.bounce (simplematch, simplewarning) and Mailman. Patterns are matched
on the case-folded NFC text without the marks of Latin letters (:func:`plain`); subjects at
their start, after tags such as ``[SPAM]``. Kept apart from bot/core/automated.py so the rules read as a table.
"""

from __future__ import annotations

import re
import unicodedata

_LATIN = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]")


def plain(text: str) -> str:
    """Latin letters without their marks (``Trả lời tự động`` -> ``Tra loi tu dong``, ``réponse`` ->
    ``reponse``): units and servers write Vietnamese with or without them. Other scripts stay as
    they are (decomposing kana or hangul would break their words)."""
    return _LATIN.sub(_unmark, text.replace("đ", "d").replace("Đ", "D"))


def _unmark(match: re.Match[str]) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", match.group(0)) if not unicodedata.combining(c))


def _any(*patterns: str) -> re.Pattern[str]:
    """One pattern of many; written with their marks for the reader, compiled without (see :func:`plain`)."""
    return re.compile(plain("|".join(f"(?:{p})" for p in patterns)), re.IGNORECASE | re.MULTILINE)


# ------------------------------------------------------------------ subjects (start of the subject)

BOUNCE_SUBJECT = _any(
    r"undeliver(?:able|ed)", r"non[- ]?deliver", r"nondelivery", r"delivery[ _-]?(?:status|failure|failed|"
    r"notification|report|problem|has failed|delayed|incomplete|error)", r"failure[ _-]?(?:notice|delivery)",
    r"failed[ _-]?(?:delivery|mail)", r"(?:e-?)?mail delivery (?:failed|failure|system|subsystem|problem|"
    r"notification|error|delayed|status)", r"mail (?:system error|failure|could not be delivered|not delivered|"
    r"delivery)", r"message (?:not delivered|delivery|could not be delivered|you sent|frozen|delayed|"
    r"undeliverable|blocked)", r"returned (?:mail|message|to sender)", r"return(?:ed)? mail", r"\[bounce\]",
    r"bounced? (?:mail|message|notification)", r"postmaster notif", r"sorry,? your message", r"permanent "
    r"delivery", r"loop alert", r"notice: mail delivery", r"warning: (?:could not|message|delay|mail)",
    r"address not found", r"không tìm thấy địa chỉ", r"notification d'état de (?:la )?remise", r"zustellstatus",
    r"zustellung", r"benachrichtigung über (?:den )?zustell", r"notificación del estado de (?:la )?entrega",
    r"notificação de (?:status|estado) de entrega", r"notifica (?:di )?stato (?:di )?consegna",
    r"estado de (?:la )?entrega", r"status de entrega", r"mensaje no entregado",
    r"não é possível entregar", r"stato (?:di )?consegna", r"teslim edilemi", r"возврат (?:письма|сообщения)",
    r"ошибка (?:при )?доставк", r"thư (?:chưa|không) (?:được )?gửi", r"gửi thư không thành công", r"thư (?:bị )?trả về",
    r"thông báo (?:về )?(?:tình trạng|trạng thái) (?:gửi|phân phối)",
    r"delayed mail", r"message status\s*-\s*undeliverable", r"failed mail\b", r"mail delivery (?:problem|warning)",
    r"(?:mail|e-?mail) (?:error|failure) (?:notice|notification|report)", r"メールエラー", r"エラー通知",
    r"delay(?:ed)? (?:notification|notice)", r"your message (?:to .{1,120} )?(?:couldn't|"
    r"could not|can't|cannot|was not|wasn't|has not been|did not) (?:be )?(?:delivered|reach)",
    r"could not send message", r"mail could not be delivered", r"could not be delivered", r"mail failed",
    r"returning (?:message )?to sender", r"delivery (?:status|failure)", r"nondeliverable",
    # German, French, Spanish, Portuguese, Italian, Dutch, Polish, Turkish, Czech
    r"unzustellbar", r"nicht zustellbar", r"unzustellbare", r"zustellung (?:fehlgeschlagen|verz)",
    r"non remis", r"non distribuable", r"échec (?:de (?:la )?)?(?:remise|distribution|livraison)",
    r"message non (?:remis|distribu)", r"impossible de remettre", r"no (?:se )?(?:puede|pudo) entregar",
    r"no entregado", r"no se ha podido entregar", r"imposible entregar", r"error de entrega",
    r"entrega (?:fallida|retrasada)", r"não (?:foi )?entreg", r"falha (?:na|de) entrega",
    r"mensagem não entregue", r"impossibile recapitare", r"mancato recapito", r"non recapitabile",
    r"recapito non riuscito", r"onbestelbaar", r"niet (?:be)?zorgd", r"niet afgeleverd",
    r"niedostarcz", r"nie można dostarczy", r"iletilemedi", r"teslim edilemedi",
    r"nedoručiteln", r"nelze doručit",
    # Russian, Ukrainian
    r"недоставлен", r"не доставлен", r"уведомление о (?:недоставке|доставке|состоянии доставки)",
    r"ошибка доставки", r"отчет о доставке", r"отчёт о доставке", r"сообщение не может быть доставлено",
    r"возвращенное сообщение", r"не вдалося доставити",
    # Japanese, Chinese, Korean
    r"配信(?:エラー|不能|失敗|できません)", r"送信(?:エラー|失敗|できません)", r"メール(?:配信|送信)(?:に)?失敗",
    r"不達", r"未達", r"エラーメール", r"宛先不明",
    r"退信", r"退回", r"系统退信", r"(?:邮件)?投递失败", r"無法(?:傳遞|投遞|送達)",
    r"无法(?:投递|送达|传递)", r"未能(?:成功)?送达", r"发送失败通知",
    r"送信不能", r"전달 ?실패", r"반송", r"배달 ?실패",
    # Vietnamese
    r"thư (?:không (?:gửi|phân phối) được|bị trả lại)",
    r"không thể (?:gửi|phân phối) thư", r"lỗi gửi thư",
    r"thông báo (?:tình trạng|trạng thái) (?:gửi|phân phối)",
    r"không gửi được thư",
)

AUTO_SUBJECT = _any(
    r"auto:", r"auto(?:matic|matische|matisch|matická|matyczna|maattinen)?[ _-]?(?:reply|response|respond|"
    r"responder|answer|antwort|antwoord|odpověď|odpowiedź|vastaus|svar)", r"autoreply", r"autorespon",
    r"autosvar", r"out of (?:the )?office", r"ooo[: ]", r"(?:i am |i'm )?(?:on vacation|on leave|away from "
    r"(?:the |my )?(?:office|desk|e-?mail))", r"vacation(?: reply| notice| message|:)", r"absence",
    r"abwesen", r"(?:ich bin )?nicht im (?:büro|hause)", r"réponse automatique", r"absent",
    r"respuesta automática", r"fuera de (?:la )?oficina", r"resposta automática", r"ausência",
    r"thank(?:s| you) for (?:your (?:e-?mail|message|mail|enquiry|inquiry)|contacting)", r"fora do escritório",
    r"risposta automatica", r"fuori (?:ufficio|sede)", r"assente",
    r"afwezig", r"niet aanwezig", r"ārpus biroja", r"atvaļinājums", r"automātiskā atbilde",
    r"automatiska atbilde", r"automaattinen vastaus", r"poissa toimistolta", r"frånvaro", r"fravær",
    r"ferie", r"urlaub", r"vakantie", r"vacaciones", r"férias", r"ferie\b", r"congés?", r"в командировке",
    r"odpowiedź automatyczna", r"nieobecność",
    r"otomatik (?:yan(?:ı|i)t|cevap)", r"ofis d(?:ışı|isi)", r"izinde", r"автоответ", r"автоматический ответ",
    r"нет на месте", r"в отпуске", r"вне офиса", r"自動(?:応答|返信|回覆|回复)", r"自动(?:回复|应答|答复)",
    r"不在(?:通知|のお知らせ|です)", r"休暇", r"外出", r"자동 ?(?:응답|회신)", r"부재",
    r"trả lời tự động", r"tự động trả lời",
    r"phản hồi tự động", r"thư tự động",
)

# Virus, content and spam gateways' notices (Trend Micro InterScan, McAfee, Symantec, MailMarshal …).
SECURITY_SUBJECT = _any(
    r"disallowed attachment", r"norton anti.?virus", r"virus (?:alert|detected|found|to sender|infected|warning)",
    r"warning:\s*e-?mail virus", r"mailmarshal", r"banned or potentially offensive", r"failed to clean virus",
    r"interscan", r"antigen found", r"scan.?mail message", r"mcafee groupshield", r"content violation",
    r"report to sender", r"rav anti.?virus", r"symantec (?:avf|e-?mail)", r"inflex scan report",
    r"message undeliverable: possible junk", r"email rejected", r"virusmelding", r"(?:anti.?)?virus scan results",
    r"message .{0,40}blocked.{0,40}(?:spam|bulk)", r"(?:spam|junk) (?:quarantine|notification|digest)",
    r"quarantine(?:d)? (?:notification|summary|report)", r"automatically generated response from",
    r"auto-respond e-?mail from", r"autoresponse - email returned", r"automated response", r"yahoo! auto response",
)

# Anywhere in the subject: words of failed delivery in scripts without prefixes to match on
# (``メッセージを配信できません。``, ``Re: 系统退信``).
BOUNCE_WORDS = _any(r"配信(?:でき|に失敗|エラー|不能)", r"送信(?:でき|に失敗|エラー)", r"不達", r"未送達",
                    r"エラー通知", r"退信", r"投递失败", r"未能投递", r"無法(?:傳遞|投遞|送達)",
                    r"недоставлен", r"не доставлен")

# Anywhere in the subject: a tag an auto-responder appends (``Re: Hồ sơ [Auto-Reply]``).
AUTO_TAG = _any(r"[\[(](?:auto[- ]?reply|auto[- ]?response|autoresponder|out of (?:the )?office|ooo|"
                r"trả lời tự động|автоответ)[\])]", r"\bauto(?:-| )?(?:reply|response)\b\s*$")

RECEIPT_SUBJECT = _any(
    r"read:", r"not read:", r"(?:read|return|delivery) receipt", r"delivered:", r"relayed:", r"zugestellt:",
    r"đã đọc:", r"lu\s?:", r"non lu\s?:", r"gelesen:", r"ungelesen:", r"leído:",
    r"lido:", r"letto:", r"gelezen:", r"przeczytan", r"прочитано:", r"已读:", r"已讀:", r"開封済み", r"확인:",
    r"disposition notification",
)

FEEDBACK_SUBJECT = _any(
    r"abuse[ -]report", r"complaint about message", r"e-?mail feedback report", r"report domain:",
    r"dmarc (?:aggregate|failure|forensic) report", r"fraud report", r"spam report", r"\[?arf\]?",
)

CHALLENGE_SUBJECT = _any(
    r"(?:please )?(?:confirm|verify|validate) (?:your )?(?:e-?mail|message|address|identity|sender)",
    r"(?:e-?mail|message|sender) (?:verification|confirmation)(?: required| request)?", r"protected by",
    r"your (?:e-?mail|message) (?:is )?(?:awaiting|pending|requires) (?:verification|confirmation|approval)",
    r"(?:spam|junk)[ -]?(?:filter|protection|block)", r"anti-?spam", r"boxbe", r"spam ?arrest",
    r"challenge[ -]response", r"action required.{0,40}(?:verif|confirm)",
    r"(?:re: )?.{0,80}\((?:action required|verification required)\)",
)

LIST_SUBJECT = _any(
    r"your (?:message|post|mail) to .{1,120} (?:awaits|is awaiting|requires|needs) (?:moderator|moderation|approval)",
    r"your (?:message|post|mail) to .{1,120} (?:has been|was) (?:held|rejected|discarded|denied|blocked)",
    r"(?:subscription|unsubscription|unsubscribe) (?:confirmation|request|notification|notice)",
    r"confirm (?:your )?(?:un)?subscri", r"welcome to (?:the )?.{1,80} (?:mailing )?list", r"mailing list",
    r"moderator (?:request|approval)", r"(?:you have been|you were) (?:un)?subscribed",
)

# Tags a gateway puts before the subject, which the rules read past.
SUBJECT_TAGS = re.compile(r"^(?:\s*(?:\[[^\]]{1,40}\]|\*{2,}[^*]{1,40}\*{2,}|\{[^}]{1,40}\}|spam:|"
                          r"external:|\(spam\)))+\s*", re.IGNORECASE)
FORWARD_PREFIX = re.compile(plain(r"^\s*(?:fwd?|tr|wg|rv|enc|i|fw|转发|轉寄|пересл(?:ано)?|chuyển tiếp)\s*:"),
                            re.IGNORECASE)

# ------------------------------------------------------------------ bodies (the message's own text)

DSN_FIELDS = re.compile(r"^\s*(?:final-recipient|original-recipient|diagnostic-code|reporting-mta|remote-mta|"
                        r"x-postfix-queue-id|arrival-date|last-attempt-date|will-retry-until)\s*:\s*\S",
                        re.IGNORECASE | re.MULTILINE)
DSN_STATUS = re.compile(r"^\s*(?:action\s*:\s*(?:failed|delayed|expanded|relayed|delivered)|"
                        r"status\s*:\s*[245]\.\d{1,3}\.\d{1,3})\b", re.IGNORECASE | re.MULTILINE)

BOUNCE_BODY = _any(
    r"this is the (?:mail system|mail delivery agent|qmail-send program|deliver program|email server|"
    r"postfix program|machine generated message) at", r"this message was created automatically by mail delivery",
    r"(?:i'm|i am) (?:sorry|afraid) (?:to have to inform you that your message|i wasn't able to deliver|"
    r"i was not able to deliver)", r"(?:your|the) (?:message|e-?mail|mail) (?:that you sent |you sent )?"
    r"(?:could not|couldn't|cannot|can't|was not|wasn't) (?:be )?(?:delivered|reach|sent to)",
    r"(?:a |the )?message that you sent (?:could not be delivered|was rejected|has not been delivered)",
    r"delivery (?:to the following recipient|has failed to these recipients|failed|is delayed|has been delayed|"
    r"notification: delivery has failed|to the following recipients (?:failed|was aborted)|incomplete)",
    r"did not reach (?:the following|some or all|its) recipient", r"could not be delivered to (?:one or more|"
    r"the following|all)", r"the following (?:address(?:es)?|recipients?)(?: had| failed|\(s\) failed| could not"
    r" be reached| did not receive| had permanent fatal errors| had delivery problems)",
    r"(?:message|mail) (?:delivery|transmission) (?:has )?(?:failed|failure|was delayed|has been delayed)",
    r"unable to deliver (?:your |the |this )?(?:message|mail)", r"undeliverable (?:address|mail|message)",
    r"transcript of (?:the )?session follows", r"returned mail follows|original message follows|"
    r"below (?:this|the next) line is a copy of the message|this is a copy of the message, including all "
    r"the headers", r"smtp error from remote (?:mail )?server", r"\(in reply to (?:rcpt to|end of data|mail from|"
    r"data) command\)", r"\b[45]\d\d[ -]#?[45]\.\d{1,3}\.\d{1,3}\b", r"(?:remote|reporting) (?:host|server|mta) "
    r"said", r"host \S+ said:", r"retry timeout exceeded", r"(?:user|recipient|mailbox) (?:unknown|not found|"
    r"unavailable|does not exist|is full|full|over quota)", r"no such (?:user|mailbox|recipient)",
    r"message (?:will be|has been) (?:retried|returned|deleted)", r"has not yet been delivered",
    r"no action is required on your part", r"this is (?:just )?a warning", r"(?:still|will) (?:be )?"
    r"(?:retrying|trying)", r"the (?:error|problem) (?:that the other server returned was|appears to be)",
    r"the response (?:was|from the remote server was)", r"mailbox (?:quota|has exceeded)",
    r"a message could not be delivered", r"your message (?:has encountered|reads|was not delivered)",
    r"sự cố khi gửi thư", r"không thể gửi thư của bạn", r"there was a (?:temporary )?problem delivering",
    r"failed addresses follow", r"message log follows", r"could not be delivered to\s*:",
    r"your mail (?:sent|attempted to be delivered) on", r"the user\(s\) account", r"each of the following "
    r"recipients", r"was not delivered within", r"(?:^|\s)(?:sent|received)\s+(?:<<<|>>>)\s", r"<<<\s*[45]\d\d",
    r">>>\s*rcpt to", r"\[status: (?:error|deferred|delayed)", r"diagnostic information for administrators",
    r"informations de diagnostic pour les administrateurs", r"generating server:", r"original message headers:",
    r"resolver\.(?:adr|rst)\.", r"queue\.expired", r"-{3,} ?failure reasons", r"-{3,} ?returned message",
    r"user not listed in public name", r"ディレクトリのリストにありません", r"-{3,} ?non-delivered information",
    r"error message below:", r"cannot be reached", r"delivery of (?:e-?mail|your message|this message|mail) to "
    r"(?:this|the following) address",
    r"has (?:failed|been postponed) due to", r"the first \d+ lines of (?:your|the) "
    r"original message", r"(?:mail|message) to the following recipients? (?:could not|was not|cannot|has not)",
    r"was not delivered to\b", r"the following (?:mail|message) (?:could not|was not) (?:be )?delivered",
    r"message not delivered to the following", r"exceeded (?:the )?maximum (?:delivery|retry) attempts",
    r"message from interscan", r"(?:was|is|were) undeliverable", r"undeliverable to the following",
    r"recipient(?:s|\(s\))? (?:could not|cannot) be reached", r"not a valid (?:user|recipient|mailbox|address)",
    r"(?:is|are) not (?:a )?(?:valid|known|existing) (?:user|recipient|mailbox)s?",
    # other languages
    r"konnte nicht (?:zugestellt|ausgeliefert)", r"nicht zugestellt werden", r"unzustellbar",
    r"diese nachricht wurde automatisch", r"n'a pas pu être (?:remis|distribu|délivr)",
    r"ce message a été (?:créé|généré) automatiquement",
    r"échec de (?:la )?remise", r"no (?:se )?(?:pudo|puede|ha podido) (?:ser )?entregar",
    r"este mensaje (?:fue|ha sido) (?:creado|generado) autom", r"não (?:pôde|foi possível) "
    r"(?:ser )?entreg", r"impossibile (?:recapitare|consegnare)", r"kon niet worden (?:afgeleverd|bezorgd)",
    r"nie (?:można|mozna|mogła|mogla) zostać ?dostarcz", r"iletilemedi|teslim edilemedi",
    r"не (?:может быть|удалось|было|будет) доставлен", r"не доставлено", r"это сообщение (?:было )?"
    r"(?:создано|сгенерировано) автоматически", r"сообщение не доставлено", r"недоставленное",
    r"配信(?:できませんでした|に失敗|不能|エラー)",
    r"送信(?:できませんでした|に失敗しました)", r"宛先(?:不明|が見つかりません)",
    r"届きませんでした", r"このメール(?:は|には)(?:自動|システム)",
    r"退信", r"无法(?:投递|送达|发送到)", r"無法(?:傳遞|投遞|送達)",
    r"投递失败", r"未能(?:成功)?(?:送达|投递)", r"전달(?:되지| ?실패)", r"배달(?:되지| ?실패)",
    r"thư của bạn (?:không|chưa) được gửi",
    r"không tìm thấy địa chỉ",
    r"không thể gửi thư (?:tới|đến)",
)

# Statements only a machine makes about itself: decisive even beside a human-looking letter.
GENERATED_BODY = _any(
    r"this is an? (?:automated|automatic|automatically generated|auto-generated|system generated|computer "
    r"generated) (?:reply|response|message|e-?mail|notification|notice)",
    r"this (?:message|e-?mail|notification|reply) (?:is|was|has been) (?:automatically|auto-?) ?(?:generated|"
    r"created|sent)", r"(?:do not|please do not|don't) reply (?:to )?this (?:automated |automatic )?"
    r"(?:message|e-?mail|address|notification)", r"auto-?generated (?:message|e-?mail|reply)",
    r"đây là thư (?:trả lời |phản hồi )?tự động",
    r"thư (?:này )?được (?:gửi|tạo) (?:ra )?(?:một cách )?"
    r"tự động", r"vui lòng không trả lời thư này",
    r"diese (?:nachricht|e-?mail) wurde automatisch", r"ceci est un(?:e)? (?:réponse|message) automatique",
    r"este (?:es un )?(?:mensaje|correo) (?:es )?(?:automático|generado autom)", r"questo è un "
    r"messaggio automatico", r"это (?:автоматическ(?:ий|ое) (?:ответ|сообщение)|сообщение создано автоматически)",
    r"このメールは(?:自動|送信専用)", r"此(?:邮件|郵件)(?:为|為|是)?(?:系统)?自动", r"(?:系统|系統)自动(?:发送|回复)",
    r"자동(?:으로)? ?(?:발송|생성)된",
)

AWAY_BODY = _any(
    r"(?:i am|i'm|i will be|i'll be) (?:currently |now )?(?:out of (?:the )?office|away|on (?:annual |"
    r"maternity |sick )?leave|on vacation|on holiday|travell?ing|out of town|absent)",
    r"(?:i am|i'm) (?:currently )?(?:not in the office|not available|unavailable|away from)",
    r"limited (?:access to|ability to check) (?:my )?e-?mail", r"(?:will|shall) (?:endeavou?r|try|do my best) to "
    r"(?:reply|respond|answer|get back to you)",
    r"(?:reply|respond|get back to you) (?:to you )?as soon as (?:possible|"
    r"i can|i return)", r"(?:will|shall) (?:respond|reply|get back to you|"
    r"answer) (?:to your (?:e-?mail|message) )?(?:when|as soon as|upon|after) (?:i|my) return",
    r"(?:thank you|thanks) for your (?:e-?mail|message)[.,!]? (?:i am|i'm|i will|this is)",
    r"ich bin (?:bis|vom|derzeit|zurzeit|nicht)", r"je suis (?:absent|en cong)", r"estoy fuera",
    r"estaré fuera", r"sono assente", r"estou (?:ausente|fora)", r"ik ben (?:afwezig|niet)",
    r"меня нет на месте|я в отпуске|я нахожусь в отпуске", r"不在にしております|休暇を(?:取|いただ)", r"休假",
)

CHALLENGE_BODY = _any(
    r"(?:i am|i'm) protecting myself from (?:receiving )?(?:junk|spam)", r"verify (?:that )?you are a (?:real )?"
    r"(?:human|person|sender)", r"(?:click|follow) (?:on )?the link below to (?:confirm|verify|validate|be "
    r"added|deliver)", r"sender verification", r"(?:message|e-?mail) (?:is|has been) (?:being )?held (?:for|"
    r"pending|until)", r"pending (?:your )?(?:verification|confirmation)", r"boxbe", r"spam ?arrest",
    r"challenge[- ]response", r"(?:please )?confirm (?:that )?you (?:sent|are the sender)",
    r"(?:add(?:ed)?|put) (?:you )?(?:to|on) (?:my |the )?(?:approved senders|whitelist|guest list|allow ?list)",
    r"requires? (?:your )?confirmation", r"awaiting (?:your )?(?:verification|confirmation)",
    r"(?:this|my) (?:e-?mail )?(?:account|address|mailbox) is protected by", r"added to (?:the recipient's|my|the) "
    r"(?:allowed|approved|safe|trusted) (?:senders? )?list",
    r"to ensure (?:the )?delivery of your (?:e-?mail|message)",
)

LIST_BODY = _any(
    r"awaits? (?:the )?moderator(?:'s)? approval", r"held for moderation", r"(?:post|message) (?:is|was) held",
    r"non-?member (?:post|submission|posting)", r"(?:you are|you're) not (?:a member|allowed to post|"
    r"subscribed)", r"(?:you|sender) (?:do(?:n't| not)|does not) appear to be a (?:subscriber|member)",
    r"you (?:do not|don't) have permission to post", r"mailing list (?:manager|software|administrator|owner)",
    r"to (?:un)?subscribe (?:from )?this (?:list|group)", r"list ?serv|majordomo|mailman|sympa|ezmlm",
)

# Words of a unit's own letter: with them, a delivery phrase the unit quotes is not a machine's.
HUMAN_LETTER = _any(
    r"kính gửi", r"trân trọng", r"cảm ơn", r"hồ sơ",
    r"đơn vị", r"khen thưởng", r"đề nghị", r"xin (?:gửi|báo)",
    r"liên đoàn", r"công đoàn", r"tờ trình", r"biên bản",
)

# Where a reply's own words end and quoted or forwarded text begins.
QUOTE_START = _any(
    r"^\s*>", r"^\s*-{2,}\s*(?:original message|forwarded message|thư gốc|tin nhắn gốc|"
    r"thư đã chuyển tiếp|message d'origine|message transféré|"
    r"ursprüngliche nachricht|weitergeleitete nachricht|mensaje original|mensaje reenviado|"
    r"исходное сообщение|пересылаемое сообщение)", r"^\s*(?:begin forwarded message|forwarded message)",
    r"^(?:on|vào|le|am|el|em|в)\b[^\n]{4,200}(?:\n[^\n]{0,200})?(?:wrote|đã viết|viết|a écrit|schrieb|escribió|"
    r"escreveu|пишет|написал|написала)\s*:\s*$", r"^[^\n]{0,200}hệ thống tiếp nhận hồ sơ",
    r"^\s*(?:from|từ|de|von)\s*:.{3,200}\n\s*(?:sent|date|to|gửi|ngày|đã gửi|envoyé|gesendet|enviado)\s*:",
)
