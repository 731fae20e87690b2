"""Regenerates clip_reference.jsonl: CLIP token ids of prompts, computed by a
transcription of OpenAI CLIP's clip/simple_tokenizer.py (MIT licence,
Copyright (c) 2021 OpenAI) without ftfy.

    python3 clip_reference.py bpe_simple_vocab_16e6.txt.gz > clip_reference.jsonl

Needs the `regex` package. Random phrases avoid the cases where CLIP's Python
and Hugging Face's tokenizer (which the Go package follows) differ: special
tokens glued to punctuation, final sigma, U+0345 under IGNORECASE, and code
points unassigned in Python's Unicode database.
"""
import gzip, html, json, random, sys, unicodedata

import regex as re
def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~")+1))+list(range(ord("¡"), ord("¬")+1))+list(range(ord("®"), ord("ÿ")+1))
    cs = bs[:]
    n = 0
    for b in range(2**8):
        if b not in bs:
            bs.append(b); cs.append(2**8+n); n += 1
    return dict(zip(bs, [chr(n) for n in cs]))
def get_pairs(word):
    return set(zip(word, word[1:]))
def basic_clean(text):
    text = html.unescape(html.unescape(text))
    return text.strip()
def whitespace_clean(text):
    text = re.sub(r'\s+', ' ', text)
    return text.strip()
class SimpleTokenizer:
    def __init__(self, bpe_path):
        self.byte_encoder = bytes_to_unicode()
        merges = gzip.open(bpe_path).read().decode("utf-8").split('\n')
        merges = merges[1:49152-256-2+1]
        merges = [tuple(merge.split()) for merge in merges]
        vocab = list(bytes_to_unicode().values())
        vocab = vocab + [v+'</w>' for v in vocab]
        for merge in merges:
            vocab.append(''.join(merge))
        vocab.extend(['<|startoftext|>', '<|endoftext|>'])
        self.encoder = dict(zip(vocab, range(len(vocab))))
        self.bpe_ranks = dict(zip(merges, range(len(merges))))
        self.cache = {'<|startoftext|>': '<|startoftext|>', '<|endoftext|>': '<|endoftext|>'}
        self.pat = re.compile(r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""", re.IGNORECASE)
    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = tuple(token[:-1]) + ( token[-1] + '</w>',)
        pairs = get_pairs(word)
        if not pairs:
            return token+'</w>'
        while True:
            bigram = min(pairs, key = lambda pair: self.bpe_ranks.get(pair, float('inf')))
            if bigram not in self.bpe_ranks:
                break
            first, second = bigram
            new_word = []
            i = 0
            while i < len(word):
                try:
                    j = word.index(first, i)
                    new_word.extend(word[i:j])
                    i = j
                except:
                    new_word.extend(word[i:])
                    break
                if word[i] == first and i < len(word)-1 and word[i+1] == second:
                    new_word.append(first+second)
                    i += 2
                else:
                    new_word.append(word[i])
                    i += 1
            new_word = tuple(new_word)
            word = new_word
            if len(word) == 1:
                break
            else:
                pairs = get_pairs(word)
        word = ' '.join(word)
        self.cache[token] = word
        return word
    def encode(self, text):
        bpe_tokens = []
        text = whitespace_clean(basic_clean(text)).lower()
        for token in re.findall(self.pat, text):
            token = ''.join(self.byte_encoder[b] for b in token.encode('utf-8'))
            bpe_tokens.extend(self.encoder[bpe_token] for bpe_token in self.bpe(token).split(' '))
        return bpe_tokens


t = SimpleTokenizer(sys.argv[1])
curated = ["a photo of a cat", "dog", "the", "of", "photo", "a", "yellow school bus", "person", "car", "red apple",
 "Hello World", "a person riding a bicycle", "traffic light", "the striped cat on the left", "two dogs playing in the snow",
 "fire hydrant", "stop sign", "a man wearing a red hat", "green leaves", "wooden chair", "coffee mug", "laptop computer",
 "don't", "it's the dog's bone", "we're here", "I'll go", "they've gone", "I'm", "he'd", "rock'n'roll",
 "Café au lait", "naïve", "ÉCOLE", "straße", "über", "Москва", "北京", "東京タワー", "😀 smiley", "🐶🐱",
 "3.14159", "$100 bill", "x86_64", "e-mail", "C++", "100%", "#hashtag", "@user", "&amp;amp;", "&lt;b&gt;bold&lt;/b&gt;",
 "  leading and trailing  ", "tabs\tand\nnewlines", "MiXeD CaSe", "a" * 40, "supercalifragilisticexpialidocious",
 "pneumonoultramicroscopicsilicovolcanoconiosis", "!!!", "...", "a, b; c: d!", "½ cup", "①②③", "Ⅻ", "٣٤", "ﬁsh",
 "e\u0301", "\u00a0nbsp\u00a0", "ideographic\u3000space", "zero\u200bwidth", "", "   ", "<|startoftext|>", "<|endoftext|>", "a cat <|endoftext|> a dog"]
random.seed(7)
words = [l.split()[0]+l.split()[1] for l in gzip.open(sys.argv[1]).read().decode().split('\n')[1:48895]]
words = [w.replace('</w>','') for w in words]
extra = curated[:60]
def ok(s):
    if '<|' in s or 'Σ' in s or '\u0345' in s: return False
    return all(unicodedata.category(c) != 'Cn' for c in s)
rand = []
while len(rand) < 400:
    n = random.randint(1, 8); parts = []
    for _ in range(n):
        r = random.random()
        if r < 0.55: w = random.choice(words)
        elif r < 0.8: w = random.choice(extra)
        else: w = ''.join(chr(random.choice([random.randint(32,126), random.randint(0xa0,0x2fff), random.randint(0x3000,0x9fff), random.randint(0x1f300,0x1faff)])) for _ in range(random.randint(1,6)))
        if random.random() < 0.2: w = w.upper()
        parts.append(w)
    s = random.choice([" ", " ", "  ", "", "\t", ", "]).join(parts)
    if ok(s): rand.append(s)
for s in curated + rand:
    sys.stdout.write(json.dumps({"text": s, "ids": t.encode(s)}, ensure_ascii=False) + "\n")
