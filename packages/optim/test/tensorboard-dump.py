#!/usr/bin/python3
"""Prints, as JSON, what two parts of TensorBoard read from a log directory, beyond what tb-read
prints: for every run,
- "hparams": the experiment, session start info and session end info, parsed by the HParams plugin's
  own metadata.parse_*_plugin_data from the plugin content TensorBoard's EventMultiplexer collected;
- "histograms": the raw HistogramProto fields (min, max, num, sum, sum_squares, bucket_limit, bucket)
  as the legacy event_accumulator.EventAccumulator returns them (the data provider that tb-read uses
  keeps only the [left, right, count] buckets).
Run with PYTHONPATH set to tb-read's vendor/ folder only (the tensorboard tests do).
usage: tensorboard-dump.py LOGDIR"""
import json
import math
import sys

from google.protobuf import json_format
from tensorboard.backend.event_processing import event_accumulator as ea
from tensorboard.backend.event_processing import plugin_event_multiplexer as pem
from tensorboard.plugins.hparams import metadata

mux = pem.EventMultiplexer(max_reload_threads=1)
mux.AddRunsFromDirectory(sys.argv[1])
mux.Reload()
out = {}
parsers = {
    metadata.EXPERIMENT_TAG: ("experiment", metadata.parse_experiment_plugin_data),
    metadata.SESSION_START_INFO_TAG: ("session_start_info", metadata.parse_session_start_info_plugin_data),
    metadata.SESSION_END_INFO_TAG: ("session_end_info", metadata.parse_session_end_info_plugin_data),
}
for run, tags in sorted(mux.PluginRunToTagToContent(metadata.PLUGIN_NAME).items()):
    r = out.setdefault(run, {}).setdefault("hparams", {})
    for tag, content in sorted(tags.items()):
        name, parse = parsers[tag]
        r[name] = json_format.MessageToDict(parse(content), preserving_proto_field_name=True)


def num(x):
    return x if math.isfinite(x) else str(x)


for run, path in sorted(mux.RunPaths().items()):
    acc = ea.EventAccumulator(path, size_guidance={ea.HISTOGRAMS: 0})
    acc.Reload()
    hs = {}
    for tag in acc.Tags()[ea.HISTOGRAMS]:
        hs[tag] = [
            {
                "step": e.step,
                "wall_time": e.wall_time,
                "min": num(e.histogram_value.min),
                "max": num(e.histogram_value.max),
                "num": e.histogram_value.num,
                "sum": num(e.histogram_value.sum),
                "sum_squares": num(e.histogram_value.sum_squares),
                "bucket_limit": [num(x) for x in e.histogram_value.bucket_limit],
                "bucket": list(e.histogram_value.bucket),
            }
            for e in acc.Histograms(tag)
        ]
    if hs:
        out.setdefault(run, {})["histograms"] = hs
json.dump(out, sys.stdout, indent=1, sort_keys=True, allow_nan=False)
