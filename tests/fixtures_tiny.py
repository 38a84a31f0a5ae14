"""Tiny random-weight encoders and tokenizers built on the spot, plus a few annotated documents.

The sentences are written for the tests (no corpus text). Two tokenizer families are covered:
a WordPiece vocabulary trained with the ``tokenizers`` trainer (the ParsBERT route: BERT
normalizer, ``[CLS]``/``[SEP]``) and a Unigram/Metaspace one (the converted e5 route: ``<s>``/``</s>``,
pad id 1).
"""
from __future__ import annotations

from pathlib import Path

from training.markup import parse_markup

MARKUP = """\
### id: tiny-1
صادرات [قم]{PROVINCE#p} در [سال ۱۴۰۱]{PERIOD#t} به [۳۴۸ میلیون دلار]{MONEY>p,t} رسید.

### id: tiny-2
[مدیرکل گمرک]{OFFICIAL} [کرمان]{PROVINCE#k} گفت: [۲۵ درصد]{PERCENT>k,x} صادرات به [عراق]{COUNTRY} در [شش ماه نخست]{PERIOD#x} بود.

### id: tiny-3
افزایش صادرات [اصفهان]{PROVINCE#e}
به گزارش خبرنگار ما، [سال گذشته]{PERIOD#y} [۱۲۰ هزار تن]{QUANTITY>y,z,e} [خرما]{PRODUCT#z} به [امارات]{COUNTRY} صادر شد.
"""

EXTRA_TEXT = [
    "واردات کالا از ترکیه و چین در ماه گذشته کاهش یافت و قیمت دلار بالا رفت.",
    "استاندار یزد گفت ۵۰ درصد تولید کاشی و سرامیک کشور در این استان است.",
    "صادرات غیرنفتی ايران با ۱۰ میلیارد یورو افزایش يافت؛ 123456789 0.5 ٪ ٫ ٬",
    "ـ ً ٌ ٍ َ ُ ِ ّ ْ ك ي ة ۀ أ إ ٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹ \u200c\u200c",
]


def tiny_documents() -> list[dict]:
    return parse_markup(MARKUP, "tiny")


def _corpus() -> list[str]:
    texts = [d["text"] for d in tiny_documents()] + EXTRA_TEXT
    from persian_export_ner.text import normalize

    return texts + [normalize(t).text for t in texts]


def _wordpiece():
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=False, clean_text=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok.train_from_iterator(_corpus(), trainers.WordPieceTrainer(vocab_size=400, special_tokens=specials))
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    return tok, dict(pad_token="[PAD]", unk_token="[UNK]", cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]"), 0


def _unigram():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    tok = Tokenizer(models.Unigram())
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    trainer = trainers.UnigramTrainer(vocab_size=300, special_tokens=specials, unk_token="<unk>")
    tok.train_from_iterator(_corpus(), trainer)
    tok.post_processor = processors.TemplateProcessing(single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)])
    return tok, dict(bos_token="<s>", eos_token="</s>", pad_token="<pad>", unk_token="<unk>",
                     cls_token="<s>", sep_token="</s>"), 1


def build_tiny_base(directory: Path, kind: str = "wordpiece") -> Path:
    """Save a 2-layer, width-32 random BERT and a freshly trained tokenizer into ``directory``."""
    import torch
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    tok, specials, pad_id = _wordpiece() if kind == "wordpiece" else _unigram()
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, **specials)
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=tok.get_vocab_size(),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
        pad_token_id=pad_id,
    )
    directory.mkdir(parents=True, exist_ok=True)
    BertModel(config).save_pretrained(directory)
    fast.save_pretrained(directory)
    return directory
