"""The Label Studio labeling config generated from the store's codebook, and the names
of its controls, which the task export writes and the task import reads back.

    <View>
      <Relations> support, oppose, neutral, target </Relations>
      <Labels name="label" toName="text">      one <Label> per label used: ACTOR:<name>,
                                              DATE, STANCE:<polarity>, and each custom
                                              kind by its name (its colour, its key as
                                              hotkey)
      <Text name="text" value="$text"/>
      <View visibleWhen="region-selected">     per-region controls:
        date_value, holder, target_actor, stance_date, note   <TextArea perRegion>
        target_topic                                         <Choices perRegion>
        each span attribute of the codebook, whenLabelValue its kinds' labels:
          choice   <Choices perRegion choice="single|multiple"> its values
          integer  <Number perRegion min max>;  number: the same with step="0.001"
          boolean  <Choices perRegion choice="single"> yes / no
          text, actor, topic  <TextArea perRegion maxSubmissions="1"> (a reference as uid)
          date     <DateTime perRegion only="date">  (ISO text; months and intervals too)
      </View>
      each article variable: the same control without perRegion
    </View>

Read back with `stancemark codebook import` (formats/codebook_schemes.py), the config
gives the same kinds and attributes, except that a yes/no comes back as a choice of
yes/no, a reference as text and a number's step is lost.

A control is named by its attribute's name. Attributes of several kinds sharing a name
and a definition are one control shown for each of their kinds' labels (as a peer's
config that puts one control on several labels is imported); when two definitions share
a name, or a name is one of the controls above, each is named "<kind name>.<attribute
name>" ("article.<name>" for an article variable).
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import quoteattr

from stancemark.core.builtin_kinds import is_builtin
from stancemark.core.codebook import Attribute, Codebook
from stancemark.core.model import POLARITIES
from stancemark.core.palette import KIND_COLOURS, POLARITY_COLOURS

TEXTAREAS = ("date_value", "holder", "target_actor", "stance_date", "note")
RESERVED = {*TEXTAREAS, "target_topic", "label", "text"}


def _definition(a: Attribute) -> tuple:
    return (a.type, a.multiple, a.minimum, a.maximum, tuple(v.name for v in a.values),
            a.kind_uid is None)


def control_names(book: Codebook) -> dict[str, list[Attribute]]:
    """{control name: the attributes it holds} for every attribute of the codebook."""
    by_name: dict[str, list[Attribute]] = {}
    for a in book.attributes:
        by_name.setdefault(a.name, []).append(a)
    out: dict[str, list[Attribute]] = {}
    for name, attrs in by_name.items():
        if name not in RESERVED and len({_definition(a) for a in attrs}) == 1:
            out[name] = attrs
            continue
        for a in attrs:
            owner = "article" if a.kind_uid is None else book.name(a.kind_uid)
            out[f"{owner}.{name}"] = [a]
    return out


def control_of(book: Codebook) -> dict[str, str]:
    """{attribute uid: its control's name}."""
    return {a.uid: name for name, attrs in control_names(book).items() for a in attrs}


def labeling_config(book: Codebook, labels: Iterable[str], topics: list[str]) -> str:
    """The config for `labels` (the label strings used, formats.span_records)."""
    labels = sorted(set(labels))
    custom = {k.name: k for k in book.custom_kinds()}

    def colour(label: str) -> str:
        if label in custom and custom[label].colour:
            return custom[label].colour
        head, _, value = label.partition(":")
        return POLARITY_COLOURS.get(value) or KIND_COLOURS.get(head.lower(), "#999999")

    def kind_labels(kind_uid: str) -> list[str]:
        if kind_uid == "stance":
            return [f"STANCE:{p}" for p in POLARITIES]
        if kind_uid == "date":
            return ["DATE"]
        if kind_uid == "actor":
            return [lb for lb in labels if lb.startswith("ACTOR:")]
        return [book.name(kind_uid)]

    lines = ['<View>', '  <Relations>']
    lines += [f'    <Relation value={quoteattr(v)}/>' for v in (*POLARITIES, "target")]
    lines += ['  </Relations>', '  <Labels name="label" toName="text">']
    for lb in labels:
        if lb.startswith("STANCE:"):
            continue
        key = custom[lb].key if lb in custom else ""
        hotkey = f' hotkey={quoteattr(key.lower())}' if key else ""
        lines.append(f'    <Label value={quoteattr(lb)} background={quoteattr(colour(lb))}{hotkey}/>')
    lines += [f'    <Label value={quoteattr("STANCE:" + p)} background={quoteattr(POLARITY_COLOURS[p])}/>'
              for p in POLARITIES]
    lines += ['  </Labels>', '  <Text name="text" value="$text"/>',
              '  <View visibleWhen="region-selected">']
    for name in TEXTAREAS:
        lines.append(f'    <Header value={quoteattr(name.replace("_", " "))}/>')
        lines.append(f'    <TextArea name="{name}" toName="text" perRegion="true" maxSubmissions="1"/>')
    lines += ['    <Header value="target topic"/>',
              '    <Choices name="target_topic" toName="text" perRegion="true" choice="single">']
    lines += [f'      <Choice value={quoteattr(t)}/>' for t in topics]
    lines += ['    </Choices>']
    controls = control_names(book)
    variables: list[str] = []
    for name, attrs in controls.items():
        if attrs[0].kind_uid is None:
            variables += _control(name, attrs[0], "", "  ")
            continue
        when = ",".join(lb for a in attrs if a.kind_uid for lb in kind_labels(a.kind_uid))
        if when:
            lines += _control(name, attrs[0], f' perRegion="true" whenLabelValue={quoteattr(when)}',
                              "    ")
    lines += ['  </View>', *variables, '</View>', '']
    return "\n".join(lines)


def _control(name: str, a: Attribute, region: str, pad: str) -> list[str]:
    n = quoteattr(name)
    out = [f'{pad}<Header value={quoteattr(a.description or name)}/>']
    if a.type in ("choice", "boolean"):
        choice = "multiple" if a.multiple else "single"
        out.append(f'{pad}<Choices name={n} toName="text"{region} choice="{choice}">')
        values = [v.name for v in a.values] if a.type == "choice" else ["yes", "no"]
        out += [f'{pad}  <Choice value={quoteattr(v)}/>' for v in values]
        out.append(f'{pad}</Choices>')
    elif a.type in ("integer", "number"):
        bounds = "".join(f' {k}="{_num(x)}"' for k, x in (("min", a.minimum), ("max", a.maximum))
                         if x is not None)
        # a fractional step makes it a number (not an integer) when read back as a codebook
        step = ' step="0.001"' if a.type == "number" else ""
        out.append(f'{pad}<Number name={n} toName="text"{region}{bounds}{step}/>')
    elif a.type == "date":
        out.append(f'{pad}<DateTime name={n} toName="text"{region} only="date"/>')
    else:
        out.append(f'{pad}<TextArea name={n} toName="text"{region} maxSubmissions="1"/>')
    return out


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def labels_of(book: Codebook) -> list[str]:
    """The labels of the codebook's custom kinds, listed in every config (so they can
    be tagged in Label Studio though no span uses them yet)."""
    return [k.name for k in book.kinds if not is_builtin(k.uid)]
