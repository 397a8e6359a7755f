"""Analog programs refused at create as Aquila refuses them, by its capabilities' limits."""

# The AHS simulator's own validators check a program against a table of constants; here they
# get the device's (area, spacing, Rabi and detuning ranges, duration), and what they would
# only warn of refuses the program. The rules they lack are below them, each read from the
# paradigm's lattice and rydberg members: the number of sites, the position resolution, the
# row spacing, the time grid, the value resolutions, the slew rates, a global amplitude that
# starts and ends at zero, and local detuning's sites.

from __future__ import annotations

import itertools
import math
import re
import warnings
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

AHS = "braket.ir.ahs.program"
_SI_HINT = re.compile(r"\s*The [a-z ]+ should +be specified in SI units\.")


class AnalogRefused(Exception):
    """The program breaks a limit of the device; the message names the member and the rule."""


def check(action: Mapping[str, Any], capabilities: Mapping[str, Any]) -> None:
    """Refuse an AHS program the device's paradigm does not allow; else return."""
    paradigm = capabilities.get("paradigm") or {}
    if "rydberg" not in paradigm or "lattice" not in paradigm:
        return
    from braket.ir.ahs import Program

    try:
        program = Program.parse_obj(action)
    except Exception:
        return  # the model check has already named what does not parse
    _validators(program, paradigm)
    _lattice(program, paradigm["lattice"])
    _driving(program, paradigm["rydberg"])
    _local(program, paradigm["rydberg"].get("rydbergLocal") or {}, paradigm["lattice"])


def _d(value: Any) -> Decimal:
    return Decimal(str(value))


def _off_grid(value: Decimal, step: Decimal) -> bool:
    """Whether ``value`` is not a multiple of ``step``, beyond a float's last digits (JSON
    carries 3 x 2e-5 as 6.000000000000001e-05)."""
    ratio = value / step
    return abs(ratio - ratio.to_integral_value()) > Decimal("1e-6")


def _validators(program: Any, paradigm: Mapping[str, Any]) -> None:
    from braket.analog_hamiltonian_simulator.rydberg.validators.capabilities_constants import (
        CapabilitiesConstants,
    )
    from braket.analog_hamiltonian_simulator.rydberg.validators.ir_validator import (
        validate_program,
    )

    lattice, rydberg = paradigm["lattice"], paradigm["rydberg"]
    global_ = rydberg["rydbergGlobal"]
    local = rydberg.get("rydbergLocal") or {}
    amplitude, detuning = global_["rabiFrequencyRange"], global_["detuningRange"]
    local_range = local.get("detuningRange") or [0, 0]
    pattern_range = local.get("siteCoefficientRange") or [0, 1]
    constants = CapabilitiesConstants(
        BOUNDING_BOX_SIZE_X=_d(lattice["area"]["width"]),
        BOUNDING_BOX_SIZE_Y=_d(lattice["area"]["height"]),
        MAX_TIME=_d(global_["timeMax"]),
        MIN_DISTANCE=_d(lattice["geometry"]["spacingRadialMin"]),
        GLOBAL_AMPLITUDE_VALUE_MIN=_d(amplitude[0]),
        GLOBAL_AMPLITUDE_VALUE_MAX=_d(amplitude[1]),
        GLOBAL_DETUNING_VALUE_MIN=_d(detuning[0]),
        GLOBAL_DETUNING_VALUE_MAX=_d(detuning[1]),
        LOCAL_MAGNITUDE_SEQUENCE_VALUE_MIN=_d(local_range[0]),
        LOCAL_MAGNITUDE_SEQUENCE_VALUE_MAX=_d(local_range[1]),
        MAGNITUDE_PATTERN_VALUE_MIN=_d(pattern_range[0]),
        MAGNITUDE_PATTERN_VALUE_MAX=_d(pattern_range[1]),
        # Global and local detuning together stay within the global detuning's range.
        MAX_NET_DETUNING=max(abs(_d(detuning[0])), abs(_d(detuning[1]))),
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            validate_program(program, constants)
        except Exception as error:
            raise AnalogRefused(_first_line(error)) from None
    for warning in caught:
        # The simulator only warns, since it can simulate anything; the device cannot run it.
        # Its hint about SI units is for values off by a unit, not for a device's limits.
        text = _first_line(warning.message).replace("typical ", "device's ")
        raise AnalogRefused(_SI_HINT.sub("", text).strip())


def _first_line(error: Any) -> str:
    lines = [line for line in str(error).splitlines() if line.strip()]
    # pydantic's errors open with a count line; the rule is on the last line, then its type.
    last = lines[-1].strip() if lines else type(error).__name__
    return re.sub(r"\s*\(type=[a-z_.]+\)$", "", last)


def _lattice(program: Any, lattice: Mapping[str, Any]) -> None:
    register = program.setup.ahs_register
    sites: list[Sequence[Decimal]] = register.sites
    geometry = lattice["geometry"]
    most = int(geometry["numberSitesMax"])
    if len(sites) > most:
        raise AnalogRefused(
            f"setup.ahs_register.sites: {len(sites)} sites; the device takes at most {most} "
            "(numberSitesMax)"
        )
    resolution = _d(geometry["positionResolution"])
    for index, site in enumerate(sites):
        for axis, value in zip("xy", site, strict=False):
            if _off_grid(_d(value), resolution):
                raise AnalogRefused(
                    f"setup.ahs_register.sites[{index}]: {axis} = {value} m is not a multiple "
                    f"of the device's position resolution {resolution} m (positionResolution)"
                )
    rows = sorted({_d(site[1]) for site in sites})
    vertical = _d(geometry["spacingVerticalMin"])
    for lower, upper in itertools.pairwise(rows):
        if upper - lower < vertical:
            raise AnalogRefused(
                f"setup.ahs_register.sites: rows at y = {lower} m and y = {upper} m are "
                f"closer than the device's {vertical} m (spacingVerticalMin)"
            )


def _series(
    where: str,
    series: Any,
    *,
    time_resolution: Decimal,
    time_delta_min: Decimal,
    value_resolution: Decimal | None = None,
    slew_max: Decimal | None = None,
    slew_name: str = "",
) -> None:
    times = [_d(t) for t in series.times]
    values = [_d(v) for v in series.values]
    for index, moment in enumerate(times):
        if _off_grid(moment, time_resolution):
            raise AnalogRefused(
                f"{where}.times[{index}]: {moment} s is not a multiple of the device's time "
                f"resolution {time_resolution} s (timeResolution)"
            )
    for index, (before, after) in enumerate(itertools.pairwise(times), start=1):
        if after - before < time_delta_min:
            raise AnalogRefused(
                f"{where}.times[{index}]: {after - before} s after the point before it, less "
                f"than the device's {time_delta_min} s (timeDeltaMin)"
            )
    if value_resolution:
        for index, value in enumerate(values):
            if _off_grid(value, value_resolution):
                raise AnalogRefused(
                    f"{where}.values[{index}]: {value} is not a multiple of the device's "
                    f"resolution {value_resolution}"
                )
    if slew_max is not None:
        for index in range(1, len(times)):
            step = times[index] - times[index - 1]
            if step and abs(values[index] - values[index - 1]) / step > slew_max:
                rate = abs(values[index] - values[index - 1]) / step
                raise AnalogRefused(
                    f"{where}.values[{index}]: changes at {float(rate):.4g} per second, faster "
                    f"than the device's {float(slew_max):.4g} ({slew_name})"
                )


def _driving(program: Any, rydberg: Mapping[str, Any]) -> None:
    global_ = rydberg["rydbergGlobal"]
    resolution = _d(global_["timeResolution"])
    delta = _d(global_["timeDeltaMin"])
    for index, field in enumerate(program.hamiltonian.drivingFields):
        where = f"hamiltonian.drivingFields[{index}]"
        amplitude = field.amplitude.time_series
        values = [_d(v) for v in amplitude.values]
        if values and (values[0] != 0 or values[-1] != 0):
            raise AnalogRefused(
                f"{where}.amplitude.time_series.values: the Rabi frequency must start and end at "
                f"0 on the device; it starts at {values[0]} and ends at {values[-1]}"
            )
        duration = _d(amplitude.times[-1]) if amplitude.times else Decimal(0)
        shortest = _d(global_["timeMin"])
        if duration and duration < shortest:
            raise AnalogRefused(
                f"{where}.amplitude.time_series.times: the program lasts {duration} s, shorter "
                f"than the device's {shortest} s (timeMin)"
            )
        for name, series, value_key, slew_key in (
            ("amplitude", amplitude, "rabiFrequencyResolution", "rabiFrequencySlewRateMax"),
            ("detuning", field.detuning.time_series, "detuningResolution", "detuningSlewRateMax"),
            ("phase", field.phase.time_series, "phaseResolution", None),
        ):
            _series(
                f"{where}.{name}.time_series",
                series,
                time_resolution=resolution,
                time_delta_min=delta,
                value_resolution=_d(global_[value_key]) if global_.get(value_key) else None,
                slew_max=_d(global_[slew_key]) if slew_key else None,
                slew_name=slew_key or "",
            )


def _local(program: Any, local: Mapping[str, Any], lattice: Mapping[str, Any]) -> None:
    if not local:
        return
    sites = program.setup.ahs_register.sites
    for index, field in enumerate(program.hamiltonian.localDetuning):
        where = f"hamiltonian.localDetuning[{index}]"
        pattern = [_d(p) for p in field.magnitude.pattern]
        driven = [site for site, weight in enumerate(pattern) if weight]
        most = int(local["numberLocalDetuningSitesMax"])
        if len(driven) > most:
            raise AnalogRefused(
                f"{where}.magnitude.pattern: {len(driven)} sites have a nonzero coefficient; the "
                f"device takes at most {most} (numberLocalDetuningSitesMax)"
            )
        spacing = float(local["spacingRadialMin"])
        for position, a in enumerate(driven):
            for b in driven[position + 1 :]:
                distance = math.dist([float(x) for x in sites[a]], [float(x) for x in sites[b]])
                if distance < spacing:
                    raise AnalogRefused(
                        f"{where}.magnitude.pattern: sites {a} and {b}, both detuned, are "
                        f"{distance:.3g} m apart, closer than the device's {spacing:g} m "
                        "(rydbergLocal.spacingRadialMin)"
                    )
        _series(
            f"{where}.magnitude.time_series",
            field.magnitude.time_series,
            time_resolution=_d(local["timeResolution"]),
            time_delta_min=_d(local["timeDeltaMin"]),
            slew_max=_d(local["detuningSlewRateMax"]),
            slew_name="rydbergLocal.detuningSlewRateMax",
        )
