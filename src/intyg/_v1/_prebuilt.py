"""Form version 1.0.0's validator, prebuilt without pydantic's models.

Generated, do not edit.

Written by ``python -m intyg._v1._prebuild`` from :mod:`intyg._v1._model` (pydantic 2.14.x):
the model's own core schema, with a light stand-in for every model class that carries the same
conditions and cross-field rules. ``python -m intyg validate`` uses it to start fast;
``tests/test_prebuilt.py`` regenerates this file and compares both validators.
"""

from __future__ import annotations

import datetime

from pydantic_core import CoreConfig, CoreSchema

from .. import _fieldchecks, _formspec  # _fieldchecks also registers the free-text judge
from .._formspec import Villkor, VillkorPlan, When, no_checks, villkor_plan
from .._problems import PATTERN_CODES, PATTERN_HINTS
from . import _checks, _codes

FORM_ID = 'lakarintyg-socialnamnd'
FORM_VERSION = '1.0.0'
PYDANTIC_CORE_SERIES = '2.50'
"""The pydantic-core release series (major.minor) of the pydantic that generated the schema; with
any other series the schema is not used (``python -m intyg validate`` then checks with the
model). Patch releases keep the core schema format, and the tests regenerate this file and
compare both validators under whichever patch is installed."""


class Part:
    """A validated section: its values as attributes, nothing else (no pydantic model)."""

    __slots__ = (
        "__dict__",
        "__pydantic_extra__",
        "__pydantic_fields_set__",
        "__pydantic_private__",
    )

    _villkor_plan: VillkorPlan = ()
    _has_checks = False
    checks = no_checks

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.__dict__!r})"



class Intyg(Part):
    """Stands in for ``Intyg``."""

    __slots__ = ()
    _has_checks = True
    checks = _checks.intyg


class Formular(Part):
    """Stands in for ``Formular``."""

    __slots__ = ()


class Patient(Part):
    """Stands in for ``Patient``."""

    __slots__ = ()


class Grund(Part):
    """Stands in for ``Grund``."""

    __slots__ = ()
    _has_checks = True
    checks = _checks.grund


class Underlag(Part):
    """Stands in for ``Underlag``."""

    __slots__ = ()
    _villkor_plan = villkor_plan(
        (
            Villkor(field='beskrivning', when=When(field='typ', any_of=(_codes.UnderlagTyp.ANNAT,), none_of=()), required=True, mode='enable'),
        ),
        {'typ': 'Underlag'},
    )


class SysselsattningDel(Part):
    """Stands in for ``SysselsattningDel``."""

    __slots__ = ()
    _villkor_plan = villkor_plan(
        (
            Villkor(field='timmar_per_vecka', when=When(field='typ', any_of=(), none_of=(_codes.Sysselsattning.INGEN, _codes.Sysselsattning.OKAND)), required=False, mode='enable'),
        ),
        {'typ': 'Patientens nuvarande eller planerade sysselsättning'},
    )
    _has_checks = True
    checks = _checks.sysselsattning


class Diagnos(Part):
    """Stands in for ``Diagnos``."""

    __slots__ = ()


class Funktionsnedsattning(Part):
    """Stands in for ``Funktionsnedsattning``."""

    __slots__ = ()
    _has_checks = True
    checks = _checks.icf_codes


class IcfB(Part):
    """Stands in for ``IcfB``."""

    __slots__ = ()


class Aktivitetsbegransning(Part):
    """Stands in for ``Aktivitetsbegransning``."""

    __slots__ = ()
    _has_checks = True
    checks = _checks.icf_codes


class IcfD(Part):
    """Stands in for ``IcfD``."""

    __slots__ = ()


class Behandling(Part):
    """Stands in for ``Behandling``."""

    __slots__ = ()
    _villkor_plan = villkor_plan(
        (
            Villkor(field='forvarrande_aktiviteter', when=When(field='kan_forvarras', any_of=(True,), none_of=()), required=True, mode='enable'),
        ),
        {'kan_forvarras': 'Kan vissa aktiviteter försämra patientens sjukdom?'},
    )


class Bedomning(Part):
    """Stands in for ``Bedomning``."""

    __slots__ = ()
    _villkor_plan = villkor_plan(
        (
            Villkor(field='perioder', when=When(field='forhindrad', any_of=(True,), none_of=()), required=True, mode='enable'),
            Villkor(field='anpassningar_beskrivning', when=When(field='anpassningar', any_of=(_codes.Anpassning.ANNAN,), none_of=()), required=True, mode='require'),
        ),
        {
            'forhindrad': 'Är patienten på grund av sjukdom förhindrad att arbeta eller delta i aktiviteter?',
            'anpassningar': 'Anpassningar som skulle göra det möjligt att delta',
        },
    )
    _has_checks = True
    checks = _checks.bedomning


class Period(Part):
    """Stands in for ``Period``."""

    __slots__ = ()


class Prognos(Part):
    """Stands in for ``Prognos``."""

    __slots__ = ()
    _villkor_plan = villkor_plan(
        (
            Villkor(field='anpassning', when=When(field='typ', any_of=(_codes.PrognosTyp.ATERGAR_MED_ANPASSNING,), none_of=()), required=True, mode='enable'),
            Villkor(field='motivering', when=When(field='typ', any_of=(_codes.PrognosTyp.KAN_EJ_BEDOMAS,), none_of=()), required=True, mode='enable'),
            Villkor(field='manader', when=When(field='typ', any_of=(_codes.PrognosTyp.ATERGAR_UTAN_ANPASSNING, _codes.PrognosTyp.ATERGAR_MED_ANPASSNING), none_of=()), required=False, mode='enable'),
        ),
        {'typ': 'Prognos'},
    )


class Samverkan(Part):
    """Stands in for ``Samverkan``."""

    __slots__ = ()
    _villkor_plan = villkor_plan(
        (
            Villkor(field='kontakt_anledning', when=When(field='kontakt_onskas', any_of=(True,), none_of=()), required=True, mode='enable'),
        ),
        {'kontakt_onskas': 'Jag vill bli kontaktad av socialnämnden'},
    )
    _has_checks = True
    checks = _checks.samverkan


class Utfardare(Part):
    """Stands in for ``Utfardare``."""

    __slots__ = ()


class Vardenhet(Part):
    """Stands in for ``Vardenhet``."""

    __slots__ = ()


PATTERN_CODES.update({
    '^SE[0-9]{10}-[0-9A-Za-z]{1,20}$': 'hsa_id_syntax',
    '^[0-9]{1,10}$': 'invalid_format',
    '^[0-9]{3} ?[0-9]{2}$': 'invalid_format',
    '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$': 'invalid_uuid',
    '^\\+?[0-9][0-9 ()-]{4,24}$': 'invalid_format',
    '^b[0-9]{3,5}$': 'invalid_format',
    '^d[0-9]{3,5}$': 'invalid_format',
})

PATTERN_HINTS.update({
    '^[0-9]{1,10}$': 'en till tio siffror',
    '^[0-9]{3} ?[0-9]{2}$': 'fem siffror, till exempel 123 45 eller 12345',
    '^\\+?[0-9][0-9 ()-]{4,24}$': 'siffror, gärna med riktnummer, till exempel 010-123 45 67 eller +46 10 123 45 67',
    '^b[0-9]{3,5}$': 'b och tre till fem siffror, till exempel b130 eller b1300',
    '^d[0-9]{3,5}$': 'd och tre till fem siffror, till exempel d240 eller d2400',
})

CONFIG: CoreConfig = {
    'extra_fields_behavior': 'forbid',
    'validate_default': False,
    'hide_input_in_errors': True,
    'title': 'Intyg',
}

CORE_SCHEMA: CoreSchema = {
    'type': 'definitions',
    'schema': {
        'type': 'function-after',
        'function': {'type': 'no-info', 'function': _formspec.check_section},
        'schema': {
            'type': 'model',
            'cls': Intyg,
            'schema': {
                'type': 'function-before',
                'function': {'type': 'no-info', 'function': _checks.resolve_short_personid},
                'schema': {
                    'type': 'model-fields',
                    'fields': {
                        'formular': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'model',
                                'cls': Formular,
                                'schema': {
                                    'type': 'model-fields',
                                    'fields': {
                                        'id': {
                                            'type': 'model-field',
                                            'schema': {
                                                'type': 'literal',
                                                'expected': ['lakarintyg-socialnamnd'],
                                            },
                                        },
                                        'version': {
                                            'type': 'model-field',
                                            'schema': {'type': 'literal', 'expected': ['1.0.0']},
                                        },
                                    },
                                    'model_name': 'Formular',
                                    'computed_fields': [],
                                },
                                'custom_init': False,
                                'root_model': False,
                                'config': {
                                    'extra_fields_behavior': 'forbid',
                                    'validate_default': False,
                                    'hide_input_in_errors': True,
                                    'title': 'Formular',
                                },
                                'ref': 'intyg._v1._model.Formular',
                            },
                        },
                        'intygsid': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'str',
                                'strict': True,
                                'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
                            },
                        },
                        'signeringsdatum': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'function-before',
                                'function': {'type': 'no-info', 'function': _fieldchecks.check_date},
                                'schema': {'type': 'date'},
                            },
                        },
                        'ersatter': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-before',
                                    'function': {'type': 'no-info', 'function': _fieldchecks.reject_null},
                                    'schema': {
                                        'type': 'nullable',
                                        'schema': {
                                            'type': 'str',
                                            'strict': True,
                                            'pattern': '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
                                        },
                                    },
                                },
                                'default': None,
                            },
                        },
                        'patient': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'model',
                                'cls': Patient,
                                'schema': {
                                    'type': 'model-fields',
                                    'fields': {
                                        'personid': {
                                            'type': 'model-field',
                                            'schema': {
                                                'type': 'function-after',
                                                'function': {
                                                    'type': 'no-info',
                                                    'function': _fieldchecks.check_personid,
                                                },
                                                'schema': {'type': 'str', 'strict': True},
                                            },
                                        },
                                        'namn': {
                                            'type': 'model-field',
                                            'schema': {
                                                'type': 'str',
                                                'strict': True,
                                                'max_length': 200,
                                                'pattern': '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$',
                                            },
                                        },
                                    },
                                    'model_name': 'Patient',
                                    'computed_fields': [],
                                },
                                'custom_init': False,
                                'root_model': False,
                                'config': {
                                    'extra_fields_behavior': 'forbid',
                                    'validate_default': False,
                                    'hide_input_in_errors': True,
                                    'title': 'Patient',
                                },
                                'ref': 'intyg._v1._model.Patient',
                            },
                        },
                        'grund': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'function-after',
                                'function': {'type': 'no-info', 'function': _formspec.check_section},
                                'schema': {
                                    'type': 'model',
                                    'cls': Grund,
                                    'schema': {
                                        'type': 'model-fields',
                                        'fields': {
                                            'underlag': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'tuple',
                                                    'items_schema': [
                                                        {
                                                            'type': 'function-after',
                                                            'function': {
                                                                'type': 'no-info',
                                                                'function': _formspec.check_section,
                                                            },
                                                            'schema': {
                                                                'type': 'model',
                                                                'cls': Underlag,
                                                                'schema': {
                                                                    'type': 'model-fields',
                                                                    'fields': {
                                                                        'typ': {
                                                                            'type': 'model-field',
                                                                            'schema': {
                                                                                'type': 'enum',
                                                                                'cls': _codes.UnderlagTyp,
                                                                                'members': [
                                                                                    _codes.UnderlagTyp.UNDERSOKNING,
                                                                                    _codes.UnderlagTyp.DIGITALT_MOTE,
                                                                                    _codes.UnderlagTyp.TELEFONKONTAKT,
                                                                                    _codes.UnderlagTyp.JOURNALUPPGIFTER,
                                                                                    _codes.UnderlagTyp.ANNAT,
                                                                                ],
                                                                                'sub_type': 'str',
                                                                                'ref': 'intyg._v1._codes.UnderlagTyp',
                                                                            },
                                                                        },
                                                                        'datum': {
                                                                            'type': 'model-field',
                                                                            'schema': {
                                                                                'type': 'function-before',
                                                                                'function': {
                                                                                    'type': 'no-info',
                                                                                    'function': _fieldchecks.check_date,
                                                                                },
                                                                                'schema': {'type': 'date'},
                                                                            },
                                                                        },
                                                                        'beskrivning': {
                                                                            'type': 'model-field',
                                                                            'schema': {
                                                                                'type': 'default',
                                                                                'schema': {
                                                                                    'type': 'function-before',
                                                                                    'function': {
                                                                                        'type': 'no-info',
                                                                                        'function': _fieldchecks.reject_null,
                                                                                    },
                                                                                    'schema': {
                                                                                        'type': 'nullable',
                                                                                        'schema': {
                                                                                            'type': 'str',
                                                                                            'strict': True,
                                                                                            'max_length': 500,
                                                                                            'pattern': '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$',
                                                                                        },
                                                                                    },
                                                                                },
                                                                                'default': None,
                                                                            },
                                                                        },
                                                                    },
                                                                    'model_name': 'Underlag',
                                                                    'computed_fields': [],
                                                                },
                                                                'custom_init': False,
                                                                'root_model': False,
                                                                'config': {
                                                                    'extra_fields_behavior': 'forbid',
                                                                    'validate_default': False,
                                                                    'hide_input_in_errors': True,
                                                                    'title': 'Underlag',
                                                                },
                                                            },
                                                            'ref': 'intyg._v1._model.Underlag',
                                                        },
                                                    ],
                                                    'variadic_item_index': 0,
                                                    'min_length': 1,
                                                    'max_length': 5,
                                                },
                                            },
                                            'kand_sedan': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'default',
                                                    'schema': {
                                                        'type': 'function-before',
                                                        'function': {
                                                            'type': 'no-info',
                                                            'function': _fieldchecks.reject_null,
                                                        },
                                                        'schema': {
                                                            'type': 'nullable',
                                                            'schema': {
                                                                'type': 'function-before',
                                                                'function': {
                                                                    'type': 'no-info',
                                                                    'function': _fieldchecks.check_date,
                                                                },
                                                                'schema': {'type': 'date'},
                                                            },
                                                        },
                                                    },
                                                    'default': None,
                                                },
                                            },
                                            'identitet': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'default',
                                                    'schema': {
                                                        'type': 'function-before',
                                                        'function': {
                                                            'type': 'no-info',
                                                            'function': _fieldchecks.reject_null,
                                                        },
                                                        'schema': {
                                                            'type': 'nullable',
                                                            'schema': {
                                                                'type': 'enum',
                                                                'cls': _codes.IdentitetKontroll,
                                                                'members': [
                                                                    _codes.IdentitetKontroll.ID_HANDLING,
                                                                    _codes.IdentitetKontroll.E_LEGITIMATION,
                                                                    _codes.IdentitetKontroll.PERSONLIG_KANNEDOM,
                                                                    _codes.IdentitetKontroll.INTYGANDE,
                                                                ],
                                                                'sub_type': 'str',
                                                                'ref': 'intyg._v1._codes.IdentitetKontroll',
                                                            },
                                                        },
                                                    },
                                                    'default': None,
                                                },
                                            },
                                        },
                                        'model_name': 'Grund',
                                        'computed_fields': [],
                                    },
                                    'custom_init': False,
                                    'root_model': False,
                                    'config': {
                                        'extra_fields_behavior': 'forbid',
                                        'validate_default': False,
                                        'hide_input_in_errors': True,
                                        'title': 'Grund',
                                    },
                                },
                                'ref': 'intyg._v1._model.Grund',
                            },
                        },
                        'sysselsattning': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'function-after',
                                'function': {'type': 'no-info', 'function': _formspec.check_section},
                                'schema': {
                                    'type': 'model',
                                    'cls': SysselsattningDel,
                                    'schema': {
                                        'type': 'model-fields',
                                        'fields': {
                                            'typ': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'tuple',
                                                    'items_schema': [
                                                        {
                                                            'type': 'enum',
                                                            'cls': _codes.Sysselsattning,
                                                            'members': [
                                                                _codes.Sysselsattning.ARBETE,
                                                                _codes.Sysselsattning.JOBBSOKANDE,
                                                                _codes.Sysselsattning.SPRAKINSATS,
                                                                _codes.Sysselsattning.KOMPETENSHOJANDE,
                                                                _codes.Sysselsattning.ARBETSPLATSFORLAGD,
                                                                _codes.Sysselsattning.ARBETSLIVSINRIKTAD_REHABILITERING,
                                                                _codes.Sysselsattning.INGEN,
                                                                _codes.Sysselsattning.OKAND,
                                                            ],
                                                            'sub_type': 'str',
                                                            'ref': 'intyg._v1._codes.Sysselsattning',
                                                        },
                                                    ],
                                                    'variadic_item_index': 0,
                                                    'min_length': 1,
                                                    'max_length': 8,
                                                },
                                            },
                                            'timmar_per_vecka': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'default',
                                                    'schema': {
                                                        'type': 'function-before',
                                                        'function': {
                                                            'type': 'no-info',
                                                            'function': _fieldchecks.reject_null,
                                                        },
                                                        'schema': {
                                                            'type': 'nullable',
                                                            'schema': {
                                                                'type': 'function-before',
                                                                'function': {
                                                                    'type': 'no-info',
                                                                    'function': _fieldchecks.check_json_integer,
                                                                },
                                                                'schema': {
                                                                    'type': 'int',
                                                                    'ge': 1,
                                                                    'le': 40,
                                                                },
                                                            },
                                                        },
                                                    },
                                                    'default': None,
                                                },
                                            },
                                        },
                                        'model_name': 'SysselsattningDel',
                                        'computed_fields': [],
                                    },
                                    'custom_init': False,
                                    'root_model': False,
                                    'config': {
                                        'extra_fields_behavior': 'forbid',
                                        'validate_default': False,
                                        'hide_input_in_errors': True,
                                        'title': 'SysselsattningDel',
                                    },
                                },
                                'ref': 'intyg._v1._model.SysselsattningDel',
                            },
                        },
                        'diagnoser': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'tuple',
                                'items_schema': [
                                    {
                                        'type': 'model',
                                        'cls': Diagnos,
                                        'schema': {
                                            'type': 'model-fields',
                                            'fields': {
                                                'kod': {
                                                    'type': 'model-field',
                                                    'schema': {
                                                        'type': 'function-after',
                                                        'function': {
                                                            'type': 'with-info',
                                                            'function': _fieldchecks.check_icd10,
                                                        },
                                                        'schema': {'type': 'str', 'strict': True},
                                                    },
                                                },
                                                'text': {
                                                    'type': 'model-field',
                                                    'schema': {
                                                        'type': 'str',
                                                        'strict': True,
                                                        'max_length': 250,
                                                        'pattern': '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$',
                                                    },
                                                },
                                            },
                                            'model_name': 'Diagnos',
                                            'computed_fields': [],
                                        },
                                        'custom_init': False,
                                        'root_model': False,
                                        'config': {
                                            'extra_fields_behavior': 'forbid',
                                            'validate_default': False,
                                            'hide_input_in_errors': True,
                                            'title': 'Diagnos',
                                        },
                                        'ref': 'intyg._v1._model.Diagnos',
                                    },
                                ],
                                'variadic_item_index': 0,
                                'min_length': 1,
                                'max_length': 3,
                            },
                        },
                        'funktionsnedsattning': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'function-after',
                                'function': {'type': 'no-info', 'function': _formspec.check_section},
                                'schema': {
                                    'type': 'model',
                                    'cls': Funktionsnedsattning,
                                    'schema': {
                                        'type': 'model-fields',
                                        'fields': {
                                            'beskrivning': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'str',
                                                    'strict': True,
                                                    'max_length': 4000,
                                                    'pattern': '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$',
                                                },
                                            },
                                            'icf': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'default',
                                                    'schema': {
                                                        'type': 'function-before',
                                                        'function': {
                                                            'type': 'no-info',
                                                            'function': _fieldchecks.reject_null,
                                                        },
                                                        'schema': {
                                                            'type': 'nullable',
                                                            'schema': {
                                                                'type': 'tuple',
                                                                'items_schema': [
                                                                    {
                                                                        'type': 'model',
                                                                        'cls': IcfB,
                                                                        'schema': {
                                                                            'type': 'model-fields',
                                                                            'fields': {
                                                                                'kod': {
                                                                                    'type': 'model-field',
                                                                                    'schema': {
                                                                                        'type': 'str',
                                                                                        'strict': True,
                                                                                        'pattern': '^b[0-9]{3,5}$',
                                                                                    },
                                                                                },
                                                                                'grad': {
                                                                                    'type': 'model-field',
                                                                                    'schema': {
                                                                                        'type': 'function-before',
                                                                                        'function': {
                                                                                            'type': 'no-info',
                                                                                            'function': _fieldchecks.check_json_integer,
                                                                                        },
                                                                                        'schema': {
                                                                                            'type': 'definition-ref',
                                                                                            'schema_ref': 'intyg._v1._codes.Grad',
                                                                                        },
                                                                                    },
                                                                                },
                                                                            },
                                                                            'model_name': 'IcfB',
                                                                            'computed_fields': [],
                                                                        },
                                                                        'custom_init': False,
                                                                        'root_model': False,
                                                                        'config': {
                                                                            'extra_fields_behavior': 'forbid',
                                                                            'validate_default': False,
                                                                            'hide_input_in_errors': True,
                                                                            'title': 'IcfB',
                                                                        },
                                                                        'ref': 'intyg._v1._model.IcfB',
                                                                    },
                                                                ],
                                                                'variadic_item_index': 0,
                                                                'min_length': 1,
                                                                'max_length': 20,
                                                            },
                                                        },
                                                    },
                                                    'default': None,
                                                },
                                            },
                                        },
                                        'model_name': 'Funktionsnedsattning',
                                        'computed_fields': [],
                                    },
                                    'custom_init': False,
                                    'root_model': False,
                                    'config': {
                                        'extra_fields_behavior': 'forbid',
                                        'validate_default': False,
                                        'hide_input_in_errors': True,
                                        'title': 'Funktionsnedsattning',
                                    },
                                },
                                'ref': 'intyg._v1._model.Funktionsnedsattning',
                            },
                        },
                        'aktivitetsbegransning': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'function-after',
                                'function': {'type': 'no-info', 'function': _formspec.check_section},
                                'schema': {
                                    'type': 'model',
                                    'cls': Aktivitetsbegransning,
                                    'schema': {
                                        'type': 'model-fields',
                                        'fields': {
                                            'beskrivning': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'str',
                                                    'strict': True,
                                                    'max_length': 4000,
                                                    'pattern': '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$',
                                                },
                                            },
                                            'icf': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'default',
                                                    'schema': {
                                                        'type': 'function-before',
                                                        'function': {
                                                            'type': 'no-info',
                                                            'function': _fieldchecks.reject_null,
                                                        },
                                                        'schema': {
                                                            'type': 'nullable',
                                                            'schema': {
                                                                'type': 'tuple',
                                                                'items_schema': [
                                                                    {
                                                                        'type': 'model',
                                                                        'cls': IcfD,
                                                                        'schema': {
                                                                            'type': 'model-fields',
                                                                            'fields': {
                                                                                'kod': {
                                                                                    'type': 'model-field',
                                                                                    'schema': {
                                                                                        'type': 'str',
                                                                                        'strict': True,
                                                                                        'pattern': '^d[0-9]{3,5}$',
                                                                                    },
                                                                                },
                                                                                'grad': {
                                                                                    'type': 'model-field',
                                                                                    'schema': {
                                                                                        'type': 'function-before',
                                                                                        'function': {
                                                                                            'type': 'no-info',
                                                                                            'function': _fieldchecks.check_json_integer,
                                                                                        },
                                                                                        'schema': {
                                                                                            'type': 'definition-ref',
                                                                                            'schema_ref': 'intyg._v1._codes.Grad',
                                                                                        },
                                                                                    },
                                                                                },
                                                                            },
                                                                            'model_name': 'IcfD',
                                                                            'computed_fields': [],
                                                                        },
                                                                        'custom_init': False,
                                                                        'root_model': False,
                                                                        'config': {
                                                                            'extra_fields_behavior': 'forbid',
                                                                            'validate_default': False,
                                                                            'hide_input_in_errors': True,
                                                                            'title': 'IcfD',
                                                                        },
                                                                        'ref': 'intyg._v1._model.IcfD',
                                                                    },
                                                                ],
                                                                'variadic_item_index': 0,
                                                                'min_length': 1,
                                                                'max_length': 20,
                                                            },
                                                        },
                                                    },
                                                    'default': None,
                                                },
                                            },
                                        },
                                        'model_name': 'Aktivitetsbegransning',
                                        'computed_fields': [],
                                    },
                                    'custom_init': False,
                                    'root_model': False,
                                    'config': {
                                        'extra_fields_behavior': 'forbid',
                                        'validate_default': False,
                                        'hide_input_in_errors': True,
                                        'title': 'Aktivitetsbegransning',
                                    },
                                },
                                'ref': 'intyg._v1._model.Aktivitetsbegransning',
                            },
                        },
                        'behandling': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'function-after',
                                'function': {'type': 'no-info', 'function': _formspec.check_section},
                                'schema': {
                                    'type': 'model',
                                    'cls': Behandling,
                                    'schema': {
                                        'type': 'model-fields',
                                        'fields': {
                                            'beskrivning': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'str',
                                                    'strict': True,
                                                    'max_length': 4000,
                                                    'pattern': '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$',
                                                },
                                            },
                                            'slutdatum': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'default',
                                                    'schema': {
                                                        'type': 'function-before',
                                                        'function': {
                                                            'type': 'no-info',
                                                            'function': _fieldchecks.reject_null,
                                                        },
                                                        'schema': {
                                                            'type': 'nullable',
                                                            'schema': {
                                                                'type': 'function-before',
                                                                'function': {
                                                                    'type': 'no-info',
                                                                    'function': _fieldchecks.check_date,
                                                                },
                                                                'schema': {'type': 'date'},
                                                            },
                                                        },
                                                    },
                                                    'default': None,
                                                },
                                            },
                                            'kan_forvarras': {
                                                'type': 'model-field',
                                                'schema': {'type': 'bool', 'strict': True},
                                            },
                                            'forvarrande_aktiviteter': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'default',
                                                    'schema': {
                                                        'type': 'function-before',
                                                        'function': {
                                                            'type': 'no-info',
                                                            'function': _fieldchecks.reject_null,
                                                        },
                                                        'schema': {
                                                            'type': 'nullable',
                                                            'schema': {
                                                                'type': 'str',
                                                                'strict': True,
                                                                'max_length': 4000,
                                                                'pattern': '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$',
                                                            },
                                                        },
                                                    },
                                                    'default': None,
                                                },
                                            },
                                        },
                                        'model_name': 'Behandling',
                                        'computed_fields': [],
                                    },
                                    'custom_init': False,
                                    'root_model': False,
                                    'config': {
                                        'extra_fields_behavior': 'forbid',
                                        'validate_default': False,
                                        'hide_input_in_errors': True,
                                        'title': 'Behandling',
                                    },
                                },
                                'ref': 'intyg._v1._model.Behandling',
                            },
                        },
                        'bedomning': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'function-after',
                                'function': {'type': 'no-info', 'function': _formspec.check_section},
                                'schema': {
                                    'type': 'model',
                                    'cls': Bedomning,
                                    'schema': {
                                        'type': 'model-fields',
                                        'fields': {
                                            'forhindrad': {
                                                'type': 'model-field',
                                                'schema': {'type': 'bool', 'strict': True},
                                            },
                                            'perioder': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'default',
                                                    'schema': {
                                                        'type': 'function-before',
                                                        'function': {
                                                            'type': 'no-info',
                                                            'function': _fieldchecks.reject_null,
                                                        },
                                                        'schema': {
                                                            'type': 'nullable',
                                                            'schema': {
                                                                'type': 'tuple',
                                                                'items_schema': [
                                                                    {
                                                                        'type': 'model',
                                                                        'cls': Period,
                                                                        'schema': {
                                                                            'type': 'model-fields',
                                                                            'fields': {
                                                                                'fran': {
                                                                                    'type': 'model-field',
                                                                                    'schema': {
                                                                                        'type': 'function-before',
                                                                                        'function': {
                                                                                            'type': 'no-info',
                                                                                            'function': _fieldchecks.check_date,
                                                                                        },
                                                                                        'schema': {
                                                                                            'type': 'date',
                                                                                        },
                                                                                    },
                                                                                },
                                                                                'till': {
                                                                                    'type': 'model-field',
                                                                                    'schema': {
                                                                                        'type': 'function-before',
                                                                                        'function': {
                                                                                            'type': 'no-info',
                                                                                            'function': _fieldchecks.check_date,
                                                                                        },
                                                                                        'schema': {
                                                                                            'type': 'date',
                                                                                        },
                                                                                    },
                                                                                },
                                                                                'omfattning': {
                                                                                    'type': 'model-field',
                                                                                    'schema': {
                                                                                        'type': 'function-before',
                                                                                        'function': {
                                                                                            'type': 'no-info',
                                                                                            'function': _fieldchecks.check_json_integer,
                                                                                        },
                                                                                        'schema': {
                                                                                            'type': 'enum',
                                                                                            'cls': _codes.Omfattning,
                                                                                            'members': [
                                                                                                _codes.Omfattning.FJARDEDEL,
                                                                                                _codes.Omfattning.HALFTEN,
                                                                                                _codes.Omfattning.TRE_FJARDEDELAR,
                                                                                                _codes.Omfattning.HELT,
                                                                                            ],
                                                                                            'sub_type': 'int',
                                                                                            'ref': 'intyg._v1._codes.Omfattning',
                                                                                        },
                                                                                    },
                                                                                },
                                                                            },
                                                                            'model_name': 'Period',
                                                                            'computed_fields': [],
                                                                        },
                                                                        'custom_init': False,
                                                                        'root_model': False,
                                                                        'config': {
                                                                            'extra_fields_behavior': 'forbid',
                                                                            'validate_default': False,
                                                                            'hide_input_in_errors': True,
                                                                            'title': 'Period',
                                                                        },
                                                                        'ref': 'intyg._v1._model.Period',
                                                                    },
                                                                ],
                                                                'variadic_item_index': 0,
                                                                'min_length': 1,
                                                                'max_length': 4,
                                                            },
                                                        },
                                                    },
                                                    'default': None,
                                                },
                                            },
                                            'formaga_trots_sjukdom': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'str',
                                                    'strict': True,
                                                    'max_length': 4000,
                                                    'pattern': '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$',
                                                },
                                            },
                                            'anpassningar': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'default',
                                                    'schema': {
                                                        'type': 'function-before',
                                                        'function': {
                                                            'type': 'no-info',
                                                            'function': _fieldchecks.reject_null,
                                                        },
                                                        'schema': {
                                                            'type': 'nullable',
                                                            'schema': {
                                                                'type': 'tuple',
                                                                'items_schema': [
                                                                    {
                                                                        'type': 'enum',
                                                                        'cls': _codes.Anpassning,
                                                                        'members': [
                                                                            _codes.Anpassning.ANPASSAD_TID,
                                                                            _codes.Anpassning.STEGVIS_UPPTRAPPNING,
                                                                            _codes.Anpassning.ANPASSADE_UPPGIFTER,
                                                                            _codes.Anpassning.ANPASSAD_MILJO,
                                                                            _codes.Anpassning.HJALPMEDEL,
                                                                            _codes.Anpassning.STOD_HANDLEDNING,
                                                                            _codes.Anpassning.NARA_BOSTADEN,
                                                                            _codes.Anpassning.DISTANS,
                                                                            _codes.Anpassning.ANNAN,
                                                                        ],
                                                                        'sub_type': 'str',
                                                                        'ref': 'intyg._v1._codes.Anpassning',
                                                                    },
                                                                ],
                                                                'variadic_item_index': 0,
                                                                'min_length': 1,
                                                                'max_length': 9,
                                                            },
                                                        },
                                                    },
                                                    'default': None,
                                                },
                                            },
                                            'anpassningar_beskrivning': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'default',
                                                    'schema': {
                                                        'type': 'function-before',
                                                        'function': {
                                                            'type': 'no-info',
                                                            'function': _fieldchecks.reject_null,
                                                        },
                                                        'schema': {
                                                            'type': 'nullable',
                                                            'schema': {
                                                                'type': 'str',
                                                                'strict': True,
                                                                'max_length': 4000,
                                                                'pattern': '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$',
                                                            },
                                                        },
                                                    },
                                                    'default': None,
                                                },
                                            },
                                        },
                                        'model_name': 'Bedomning',
                                        'computed_fields': [],
                                    },
                                    'custom_init': False,
                                    'root_model': False,
                                    'config': {
                                        'extra_fields_behavior': 'forbid',
                                        'validate_default': False,
                                        'hide_input_in_errors': True,
                                        'title': 'Bedomning',
                                    },
                                },
                                'ref': 'intyg._v1._model.Bedomning',
                            },
                        },
                        'prognos': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'function-after',
                                'function': {'type': 'no-info', 'function': _formspec.check_section},
                                'schema': {
                                    'type': 'model',
                                    'cls': Prognos,
                                    'schema': {
                                        'type': 'model-fields',
                                        'fields': {
                                            'typ': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'enum',
                                                    'cls': _codes.PrognosTyp,
                                                    'members': [
                                                        _codes.PrognosTyp.ATERGAR_UTAN_ANPASSNING,
                                                        _codes.PrognosTyp.ATERGAR_MED_ANPASSNING,
                                                        _codes.PrognosTyp.ATERGAR_EJ,
                                                        _codes.PrognosTyp.KAN_EJ_BEDOMAS,
                                                    ],
                                                    'sub_type': 'str',
                                                    'ref': 'intyg._v1._codes.PrognosTyp',
                                                },
                                            },
                                            'anpassning': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'default',
                                                    'schema': {
                                                        'type': 'function-before',
                                                        'function': {
                                                            'type': 'no-info',
                                                            'function': _fieldchecks.reject_null,
                                                        },
                                                        'schema': {
                                                            'type': 'nullable',
                                                            'schema': {
                                                                'type': 'str',
                                                                'strict': True,
                                                                'max_length': 4000,
                                                                'pattern': '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$',
                                                            },
                                                        },
                                                    },
                                                    'default': None,
                                                },
                                            },
                                            'motivering': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'default',
                                                    'schema': {
                                                        'type': 'function-before',
                                                        'function': {
                                                            'type': 'no-info',
                                                            'function': _fieldchecks.reject_null,
                                                        },
                                                        'schema': {
                                                            'type': 'nullable',
                                                            'schema': {
                                                                'type': 'str',
                                                                'strict': True,
                                                                'max_length': 4000,
                                                                'pattern': '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$',
                                                            },
                                                        },
                                                    },
                                                    'default': None,
                                                },
                                            },
                                            'manader': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'default',
                                                    'schema': {
                                                        'type': 'function-before',
                                                        'function': {
                                                            'type': 'no-info',
                                                            'function': _fieldchecks.reject_null,
                                                        },
                                                        'schema': {
                                                            'type': 'nullable',
                                                            'schema': {
                                                                'type': 'function-before',
                                                                'function': {
                                                                    'type': 'no-info',
                                                                    'function': _fieldchecks.check_json_integer,
                                                                },
                                                                'schema': {
                                                                    'type': 'int',
                                                                    'ge': 1,
                                                                    'le': 99,
                                                                },
                                                            },
                                                        },
                                                    },
                                                    'default': None,
                                                },
                                            },
                                        },
                                        'model_name': 'Prognos',
                                        'computed_fields': [],
                                    },
                                    'custom_init': False,
                                    'root_model': False,
                                    'config': {
                                        'extra_fields_behavior': 'forbid',
                                        'validate_default': False,
                                        'hide_input_in_errors': True,
                                        'title': 'Prognos',
                                    },
                                },
                                'ref': 'intyg._v1._model.Prognos',
                            },
                        },
                        'samverkan': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'function-after',
                                'function': {'type': 'no-info', 'function': _formspec.check_section},
                                'schema': {
                                    'type': 'model',
                                    'cls': Samverkan,
                                    'schema': {
                                        'type': 'model-fields',
                                        'fields': {
                                            'rekommendationer': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'default',
                                                    'schema': {
                                                        'type': 'function-before',
                                                        'function': {
                                                            'type': 'no-info',
                                                            'function': _fieldchecks.reject_null,
                                                        },
                                                        'schema': {
                                                            'type': 'nullable',
                                                            'schema': {
                                                                'type': 'tuple',
                                                                'items_schema': [
                                                                    {
                                                                        'type': 'enum',
                                                                        'cls': _codes.Rekommendation,
                                                                        'members': [
                                                                            _codes.Rekommendation.KOORDINERINGSINSATS,
                                                                            _codes.Rekommendation.SIP,
                                                                            _codes.Rekommendation.SAMORDNAD_REHABILITERING,
                                                                            _codes.Rekommendation.IPS,
                                                                            _codes.Rekommendation.ARBETSFORMEDLINGEN,
                                                                        ],
                                                                        'sub_type': 'str',
                                                                        'ref': 'intyg._v1._codes.Rekommendation',
                                                                    },
                                                                ],
                                                                'variadic_item_index': 0,
                                                                'min_length': 1,
                                                                'max_length': 5,
                                                            },
                                                        },
                                                    },
                                                    'default': None,
                                                },
                                            },
                                            'kontakt_onskas': {
                                                'type': 'model-field',
                                                'schema': {'type': 'bool', 'strict': True},
                                            },
                                            'kontakt_anledning': {
                                                'type': 'model-field',
                                                'schema': {
                                                    'type': 'default',
                                                    'schema': {
                                                        'type': 'function-before',
                                                        'function': {
                                                            'type': 'no-info',
                                                            'function': _fieldchecks.reject_null,
                                                        },
                                                        'schema': {
                                                            'type': 'nullable',
                                                            'schema': {
                                                                'type': 'str',
                                                                'strict': True,
                                                                'max_length': 1000,
                                                                'pattern': '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$',
                                                            },
                                                        },
                                                    },
                                                    'default': None,
                                                },
                                            },
                                        },
                                        'model_name': 'Samverkan',
                                        'computed_fields': [],
                                    },
                                    'custom_init': False,
                                    'root_model': False,
                                    'config': {
                                        'extra_fields_behavior': 'forbid',
                                        'validate_default': False,
                                        'hide_input_in_errors': True,
                                        'title': 'Samverkan',
                                    },
                                },
                                'ref': 'intyg._v1._model.Samverkan',
                            },
                        },
                        'ovrigt': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'default',
                                'schema': {
                                    'type': 'function-before',
                                    'function': {'type': 'no-info', 'function': _fieldchecks.reject_null},
                                    'schema': {
                                        'type': 'nullable',
                                        'schema': {
                                            'type': 'str',
                                            'strict': True,
                                            'max_length': 4000,
                                            'pattern': '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$',
                                        },
                                    },
                                },
                                'default': None,
                            },
                        },
                        'utfardare': {
                            'type': 'model-field',
                            'schema': {
                                'type': 'model',
                                'cls': Utfardare,
                                'schema': {
                                    'type': 'model-fields',
                                    'fields': {
                                        'namn': {
                                            'type': 'model-field',
                                            'schema': {
                                                'type': 'str',
                                                'strict': True,
                                                'max_length': 200,
                                                'pattern': '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$',
                                            },
                                        },
                                        'hsa_id': {
                                            'type': 'model-field',
                                            'schema': {
                                                'type': 'str',
                                                'strict': True,
                                                'pattern': '^SE[0-9]{10}-[0-9A-Za-z]{1,20}$',
                                            },
                                        },
                                        'befattning': {
                                            'type': 'model-field',
                                            'schema': {
                                                'type': 'str',
                                                'strict': True,
                                                'max_length': 200,
                                                'pattern': '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$',
                                            },
                                        },
                                        'vardenhet': {
                                            'type': 'model-field',
                                            'schema': {
                                                'type': 'model',
                                                'cls': Vardenhet,
                                                'schema': {
                                                    'type': 'model-fields',
                                                    'fields': {
                                                        'namn': {
                                                            'type': 'model-field',
                                                            'schema': {
                                                                'type': 'str',
                                                                'strict': True,
                                                                'max_length': 200,
                                                                'pattern': '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$',
                                                            },
                                                        },
                                                        'postadress': {
                                                            'type': 'model-field',
                                                            'schema': {
                                                                'type': 'str',
                                                                'strict': True,
                                                                'max_length': 200,
                                                                'pattern': '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$',
                                                            },
                                                        },
                                                        'postnummer': {
                                                            'type': 'model-field',
                                                            'schema': {
                                                                'type': 'str',
                                                                'strict': True,
                                                                'pattern': '^[0-9]{3} ?[0-9]{2}$',
                                                            },
                                                        },
                                                        'postort': {
                                                            'type': 'model-field',
                                                            'schema': {
                                                                'type': 'str',
                                                                'strict': True,
                                                                'max_length': 100,
                                                                'pattern': '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$',
                                                            },
                                                        },
                                                        'telefon': {
                                                            'type': 'model-field',
                                                            'schema': {
                                                                'type': 'str',
                                                                'strict': True,
                                                                'pattern': '^\\+?[0-9][0-9 ()-]{4,24}$',
                                                            },
                                                        },
                                                        'hsa_id': {
                                                            'type': 'model-field',
                                                            'schema': {
                                                                'type': 'default',
                                                                'schema': {
                                                                    'type': 'function-before',
                                                                    'function': {
                                                                        'type': 'no-info',
                                                                        'function': _fieldchecks.reject_null,
                                                                    },
                                                                    'schema': {
                                                                        'type': 'nullable',
                                                                        'schema': {
                                                                            'type': 'str',
                                                                            'strict': True,
                                                                            'pattern': '^SE[0-9]{10}-[0-9A-Za-z]{1,20}$',
                                                                        },
                                                                    },
                                                                },
                                                                'default': None,
                                                            },
                                                        },
                                                        'arbetsplatskod': {
                                                            'type': 'model-field',
                                                            'schema': {
                                                                'type': 'default',
                                                                'schema': {
                                                                    'type': 'function-before',
                                                                    'function': {
                                                                        'type': 'no-info',
                                                                        'function': _fieldchecks.reject_null,
                                                                    },
                                                                    'schema': {
                                                                        'type': 'nullable',
                                                                        'schema': {
                                                                            'type': 'str',
                                                                            'strict': True,
                                                                            'pattern': '^[0-9]{1,10}$',
                                                                        },
                                                                    },
                                                                },
                                                                'default': None,
                                                            },
                                                        },
                                                    },
                                                    'model_name': 'Vardenhet',
                                                    'computed_fields': [],
                                                },
                                                'custom_init': False,
                                                'root_model': False,
                                                'config': {
                                                    'extra_fields_behavior': 'forbid',
                                                    'validate_default': False,
                                                    'hide_input_in_errors': True,
                                                    'title': 'Vardenhet',
                                                },
                                                'ref': 'intyg._v1._model.Vardenhet',
                                            },
                                        },
                                        'ort': {
                                            'type': 'model-field',
                                            'schema': {
                                                'type': 'str',
                                                'strict': True,
                                                'max_length': 100,
                                                'pattern': '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$',
                                            },
                                        },
                                    },
                                    'model_name': 'Utfardare',
                                    'computed_fields': [],
                                },
                                'custom_init': False,
                                'root_model': False,
                                'config': {
                                    'extra_fields_behavior': 'forbid',
                                    'validate_default': False,
                                    'hide_input_in_errors': True,
                                    'title': 'Utfardare',
                                },
                                'ref': 'intyg._v1._model.Utfardare',
                            },
                        },
                    },
                    'model_name': 'Intyg',
                    'computed_fields': [],
                },
            },
            'custom_init': False,
            'root_model': False,
            'config': {
                'extra_fields_behavior': 'forbid',
                'validate_default': False,
                'hide_input_in_errors': True,
                'title': 'Intyg',
            },
        },
        'ref': 'intyg._v1._model.Intyg',
    },
    'definitions': [
        {
            'type': 'enum',
            'cls': _codes.Grad,
            'members': [
                _codes.Grad.INGEN,
                _codes.Grad.LATT,
                _codes.Grad.MATTLIG,
                _codes.Grad.SVAR,
                _codes.Grad.TOTAL,
            ],
            'sub_type': 'int',
            'ref': 'intyg._v1._codes.Grad',
        },
    ],
}
