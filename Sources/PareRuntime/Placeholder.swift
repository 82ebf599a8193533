import PareCodecs
