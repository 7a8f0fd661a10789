"""The ground every room stands on: paths, settings files, the deployment's clock, privacy
masking, JSON bodies and request signatures. It imports no other package of ours, and every
package may import it (intake/ is the top: the command line and the orchestration)."""
