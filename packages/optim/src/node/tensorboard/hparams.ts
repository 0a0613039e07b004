/**
 * The HParams plugin's three summaries, as PyTorch's `torch.utils.tensorboard.summary.hparams` and
 * TensorBoard's own `hparams.summary` write them: an `Experiment` (the hyper-parameters and metrics
 * the dashboard has columns for), a `SessionStartInfo` (this session's values) and a
 * `SessionEndInfo` (status SUCCESS), each as plugin data of an otherwise empty value.
 *
 * Field numbers: hparams/plugin_data.proto (`HParamsPluginData`: version 1, experiment 2,
 * session_start_info 3, session_end_info 4; `SessionStartInfo.hparams` 1 (a map), start_time_secs 5;
 * `SessionEndInfo`: status 1, end_time_secs 2), hparams/api.proto (`Experiment`: hparam_infos 4,
 * metric_infos 5; `HParamInfo`: name 1, type 4; `MetricInfo.name` 1; `MetricName.tag` 2) and
 * google/protobuf/struct.proto (`Value`: number_value 2, string_value 3, bool_value 4).
 */
import { ProtoWriter } from './proto.ts';

/** The plugin name TensorBoard's HParams dashboard reads. */
export const HPARAMS_PLUGIN = 'hparams';
/** The tags PyTorch and TensorBoard use for the three summaries. */
export const EXPERIMENT_TAG = '_hparams_/experiment';
export const SESSION_START_INFO_TAG = '_hparams_/session_start_info';
export const SESSION_END_INFO_TAG = '_hparams_/session_end_info';

/** api.proto `DataType`. */
const DATA_TYPE = { string: 1, boolean: 2, number: 3 } as const;
/** api.proto `Status.STATUS_SUCCESS`. */
const STATUS_SUCCESS = 1;

/** A `google.protobuf.Value` holding a number, a string or a bool. */
function structValue(v: number | string | boolean): Uint8Array {
  const w = new ProtoWriter();
  // `kind` is a oneof: its members have presence, so 0, '' and false are written too
  if (typeof v === 'number') w.double(2, v, true);
  else if (typeof v === 'string') w.bytes(3, v, true);
  else w.int(4, v, true); // a oneof member: false is written too, or the Value would read as unset
  return w.finish();
}

function pluginData(field: 2 | 3 | 4, message: Uint8Array): Uint8Array {
  // version 0 (PyTorch's PLUGIN_DATA_VERSION) is proto3's default and not written
  return new ProtoWriter().bytes(field, message, true).finish();
}

/** `HParamsPluginData{experiment}`: one HParamInfo per hyper-parameter, one MetricInfo per metric. */
export function experimentContent(hparams: Record<string, number | string | boolean>, metrics: readonly string[]): Uint8Array {
  const exp = new ProtoWriter();
  for (const [name, v] of Object.entries(hparams)) {
    const t = DATA_TYPE[typeof v as 'number' | 'string' | 'boolean'];
    exp.bytes(4, new ProtoWriter().bytes(1, name, true).int(4, t).finish(), true);
  }
  for (const tag of metrics) {
    const metricName = new ProtoWriter().bytes(2, tag, true).finish();
    exp.bytes(5, new ProtoWriter().bytes(1, metricName, true).finish(), true);
  }
  return pluginData(2, exp.finish());
}

/** `HParamsPluginData{session_start_info}`: the session's values and its start time. */
export function sessionStartContent(hparams: Record<string, number | string | boolean>, startTimeSecs: number): Uint8Array {
  const ssi = new ProtoWriter();
  for (const [name, v] of Object.entries(hparams)) {
    // a map<string, Value> entry: key 1, value 2
    ssi.bytes(1, new ProtoWriter().bytes(1, name, true).bytes(2, structValue(v), true).finish(), true);
  }
  ssi.double(5, startTimeSecs);
  return pluginData(3, ssi.finish());
}

/** `HParamsPluginData{session_end_info}`: status SUCCESS and the end time. */
export function sessionEndContent(endTimeSecs: number): Uint8Array {
  return pluginData(4, new ProtoWriter().int(1, STATUS_SUCCESS).double(2, endTimeSecs).finish());
}
