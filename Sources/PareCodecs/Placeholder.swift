
import PareFormat
