/** The help text of `livevm plan`, printed for --help and with every usage error. */
export const PLAN_USAGE = `usage: livevm plan --before <file|dir|-> --after <file|dir|-> [options]
       livevm plan --git <rev> [paths...] [options]

Classifies every change between two sets of KubeVirt VirtualMachine manifests: applies live, needs a
restart, is rejected, gets stuck, or is staged for the next start.

inputs:
  --before <file|dir|->          VMs as they run now (e.g. kubectl get vm -A -o yaml), with status; repeatable
  --after <file|dir|->           the desired manifests; repeatable
  --git <rev> [paths...]         compare the manifests at <rev> (before) with the working tree (after);
                                 paths default to the current directory
  --vmi <file|dir|->             running VirtualMachineInstances (kubectl get vmi -A -o yaml); repeatable.
                                 Without them the plan is predicted from the before specs
  --kubevirt <file>              the KubeVirt CR (kubectl get kubevirt -A -o yaml); its
                                 status.observedKubeVirtVersion gives the version
  --kubevirt-version <x.y[.z]>   the KubeVirt version (overrides the CR's); default: newest supported

output:
  --output table|json|markdown   default: table (coloured on a terminal unless NO_COLOR is set)
  --fail-on restart|rejected|never
                                 which outcomes give a non-zero exit (default: restart)

limits (hostile input):
  --max-file-bytes <n>           largest input file (default 64Mi)
  --max-total-bytes <n>          all input files together (default 512Mi)

Files may hold several YAML documents (---), JSON, or a List (kind: List / VirtualMachineList).
Directories are read recursively (*.yaml, *.yml, *.json). "-" reads standard input.

exit codes:
  0  nothing disruptive (or below --fail-on)
  1  bad input (nothing is planned)
  2  usage error
  3  a restart is needed, or a change would get stuck
  4  a change would be rejected
`;
