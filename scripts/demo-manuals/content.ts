/**
 * Source text of the demo manuals, written for this project (not the manufacturers' manuals), for real
 * catalog products. scripts/demo-manuals/generate.ts renders each manual to a PDF, one entry of `pages` per PDF
 * page, so the page numbers below are the pages a citation must point to.
 */
export interface DemoPage {
  heading: string;
  paragraphs: string[];
}

export interface DemoManual {
  productId: string;
  title: string;
  file: string;
  pages: DemoPage[];
}

const DISCLAIMER =
  "This demo manual was written for the HSC-JIT project to show just-in-time manuals. It is not the manufacturer's manual; check the official documentation before relying on any detail.";

export const DEMO_MANUALS: DemoManual[] = [
  {
    productId: 'roland_87-tr8s',
    title: "Roland TR-8S Rhythm Performer: Demo Owner's Guide",
    file: 'roland-tr-8s.pdf',
    pages: [
      {
        heading: 'About this guide',
        paragraphs: [
          DISCLAIMER,
          'The TR-8S is a rhythm machine with eleven instrument tracks, a step sequencer with up to 128 patterns per kit bank, and sample import from an SD card.',
          'Keep the unit away from direct sunlight, radiators and damp rooms. Use only the supplied AC adaptor; a different adaptor can damage the power circuit.',
        ],
      },
      {
        heading: 'Setting up and connecting',
        paragraphs: [
          'Connect the MIX OUT jacks to your mixer or powered speakers with two quarter-inch cables. Turn the volume of the speakers down before you switch the TR-8S on.',
          'Each instrument also has its own ASSIGNABLE OUT jack, so the kick and the snare can be processed separately on a mixing desk.',
          'Connect the USB port to a computer to use the TR-8S as a 14-channel audio interface; the driver is available from the Roland website.',
          'To power on, press the POWER switch on the rear panel. The display shows the last kit that was used.',
        ],
      },
      {
        heading: 'Programming a pattern',
        paragraphs: [
          'Press an instrument button, then press the step buttons 1 to 16 where you want that instrument to play. Lit steps play; press a lit step again to clear it.',
          'Hold SHIFT and turn the VALUE knob to change the pattern length from 1 to 64 steps.',
          'Turn the TEMPO knob to set the tempo between 40 and 300 BPM. Fine adjustments in steps of 0.1 BPM are made while holding SHIFT.',
          'To save a pattern, press WRITE, choose a pattern slot with the VALUE knob and press WRITE again.',
        ],
      },
      {
        heading: 'MIDI and synchronisation',
        paragraphs: [
          'The TR-8S receives notes on MIDI channel 10 by default. Each instrument track responds to its own note number, for example the bass drum to note 36 and the snare drum to note 38.',
          'To change the MIDI channel, press UTILITY, select MIDI with the SELECT knob and set Rx Channel.',
          'To follow the tempo of an external sequencer, set Sync Mode to AUTO or MIDI in the MIDI menu. The TR-8S then starts and stops with the incoming MIDI clock.',
          'The MIDI OUT jack sends clock and notes, so a second drum machine can be played from the TR-8S sequencer.',
        ],
      },
      {
        heading: 'Restoring the factory settings',
        paragraphs: [
          'A factory reset returns all system settings, kits and patterns to the state they were in when the unit left the factory. Everything you saved is erased, so back up your data to an SD card first.',
          'To perform the factory reset: switch the unit off, then hold the SAMPLE button and switch the power on. Keep holding until the display shows FACTORY RESET.',
          'Press the flashing step button 16 to confirm. The reset takes about one minute; do not switch off the power while the display shows "Executing".',
          'To update the firmware, copy the update file to the root of the SD card and power on while holding the START button.',
        ],
      },
      {
        heading: 'Troubleshooting',
        paragraphs: [
          'No sound: check that the MASTER VOLUME knob is turned up and that the instrument level faders are raised. If you use headphones only, the MIX OUT jacks are still active.',
          'The sequencer does not start: when Sync Mode is set to MIDI, the TR-8S waits for a start message from the external device. Set Sync Mode to INTERNAL to run it on its own.',
          'Imported samples do not appear: samples must be WAV or AIFF files, 16 or 24 bit, and placed in the ROLAND/SAMPLE folder of the SD card.',
          'The display is too dark: press UTILITY and raise the LCD Contrast value.',
        ],
      },
      {
        heading: 'Specifications',
        paragraphs: [
          'Instrument tracks: 11 (bass drum, snare drum, low tom, mid tom, high tom, rim shot, hand clap, closed hi-hat, open hi-hat, crash cymbal, ride cymbal).',
          'Sampling frequency: 96 kHz. Sample import: up to 600 seconds of mono samples in total.',
          'Connectors: MIX OUT L and R, six ASSIGNABLE OUT jacks, trigger out, phones, MIDI IN and OUT, USB COMPUTER port, SD card slot, DC IN.',
          'Power supply: AC adaptor. Current draw: 1,500 mA. Dimensions: 400 (W) by 263 (D) by 69 (H) mm. Weight: 2.7 kg.',
        ],
      },
    ],
  },
  {
    productId: 'akai_professional_55_mpclive2',
    title: 'Akai Professional MPC Live II: Demo Quick Reference',
    file: 'akai-mpc-live-ii.pdf',
    pages: [
      {
        heading: 'About this guide',
        paragraphs: [
          DISCLAIMER,
          'The MPC Live II is a standalone music production centre with sixteen velocity-sensitive pads, a seven-inch touchscreen, built-in monitor speakers and a rechargeable battery.',
          'Charge the battery fully before the first use. A full charge takes about three hours with the unit switched off.',
        ],
      },
      {
        heading: 'Getting started',
        paragraphs: [
          'Hold the power button on the rear panel for two seconds to switch the MPC Live II on. The first start shows a short tutorial on the touchscreen.',
          'The built-in speakers are muted automatically when headphones or cables are connected to the main outputs.',
          'Connect a USB drive or insert an SD card to load your own samples. Drives formatted as exFAT or FAT32 are recognised.',
          'To connect to a computer, use the USB-B port and switch the MPC into Controller Mode from the main menu.',
        ],
      },
      {
        heading: 'Recording with the pads',
        paragraphs: [
          'Press REC and then PLAY to record a sequence in real time while you play the pads. Press OVERDUB instead of REC to add notes to an existing sequence.',
          'Turn on Note Repeat by holding the NOTE REPEAT button; the pads then repeat at the time division shown on the screen.',
          'Sixteen Levels spreads one sound over all sixteen pads with rising velocity, tuning or filter cutoff.',
          'The battery lasts up to four hours of normal use with the speakers at moderate volume.',
        ],
      },
      {
        heading: 'MIDI, CV and Bluetooth',
        paragraphs: [
          'The MPC Live II has one MIDI input and two MIDI outputs on 3.5 mm TRS jacks; adapters to five-pin DIN are included.',
          'To play an external synthesizer, create a MIDI track and choose the MIDI output port and channel in the track settings.',
          'The eight CV/Gate outputs send control voltages to modular synthesizers. Set each output to CV or Gate in the Preferences.',
          'Bluetooth MIDI controllers are paired from Preferences, Bluetooth. Wi-Fi is used for cloud sample downloads and software updates.',
        ],
      },
      {
        heading: 'Resetting and updating',
        paragraphs: [
          'To reset the preferences to their defaults, open Menu, Preferences, and tap Reset Preferences at the bottom of the General tab. Your projects and samples on the internal drive are kept.',
          'For a complete factory restore, hold SHIFT and MENU while powering on to start the recovery mode, then tap Restore Factory Image. This erases the internal drive, so copy your projects to a USB drive first.',
          'Software updates are installed from Preferences, Updates when the MPC is connected to Wi-Fi, or with the updater application on a computer over USB.',
        ],
      },
      {
        heading: 'Troubleshooting',
        paragraphs: [
          'The MPC does not turn on from the battery: the battery may be fully discharged. Connect the power supply and wait ten minutes before trying again.',
          'Pads feel too sensitive or not sensitive enough: change the pad threshold and the velocity curve in Preferences, Hardware.',
          'A USB drive is not shown: NTFS drives are read only on some versions, and drives larger than 2 TB may not be recognised. Format the drive as exFAT.',
          'The touchscreen does not react where you touch: run Touchscreen Calibration from Preferences, Hardware.',
        ],
      },
      {
        heading: 'Specifications',
        paragraphs: [
          'Pads: 16 velocity- and pressure-sensitive RGB pads. Display: 7-inch multi-touch colour screen.',
          'Storage: 32 GB internal, of which about 16 GB is available for your content; a SATA drive bay accepts a 2.5-inch SSD.',
          'Memory: 2 GB RAM. Audio outputs: six quarter-inch outputs. Inputs: two combo XLR and quarter-inch inputs with phantom power, phono input with ground terminal.',
          'Battery: rechargeable lithium-ion, up to 4 hours. Weight: 2.8 kg.',
        ],
      },
    ],
  },
  {
    productId: 'allen_heath_40_sq5',
    title: 'Allen & Heath SQ-5 Digital Mixer: Demo User Notes',
    file: 'allen-heath-sq-5.pdf',
    pages: [
      {
        heading: 'About this guide',
        paragraphs: [
          DISCLAIMER,
          'The SQ-5 is a compact digital mixer with 48 input channels, 16 local microphone preamps, 12 stereo groups and 8 stereo effects engines, running at 96 kHz.',
          'Leave at least 10 cm of free space around the ventilation slots, and do not place drinks on the work surface.',
        ],
      },
      {
        heading: 'Setting up the mixer',
        paragraphs: [
          'Connect microphones to the local inputs 1 to 16 on the rear panel. Phantom power (48V) is switched per channel on the Preamp screen.',
          'The main left and right outputs are XLR connectors. Twelve further XLR outputs can be patched to any mix in the I/O screen.',
          'Connect an expander such as a stagebox to the SLink port with a Cat5e cable up to 120 metres long.',
          'Switch the mixer on with the power switch on the rear panel. Start-up takes about 30 seconds; the last scene is recalled.',
        ],
      },
      {
        heading: 'Mixing and scenes',
        paragraphs: [
          'Press the Sel key of a channel to show its processing on the touchscreen: preamp, high-pass filter, gate, parametric EQ, compressor and delay.',
          'To send a channel to a monitor mix, press the Mix key of that mix; the faders then show the send levels instead of the main mix.',
          'Scenes store the complete mix. To store a scene, open Scenes, select a slot and tap Store. Up to 300 scenes can be kept.',
          'The eight SoftKeys can be assigned to functions like tap tempo, mute groups or scene recall in Setup, Control.',
        ],
      },
      {
        heading: 'MIDI control and remote apps',
        paragraphs: [
          'The SQ-5 sends and receives MIDI messages over its USB-B port and over the network. Fader moves are sent as NRPN messages.',
          'Use the MIDI Control app on a computer to connect a DAW controller; it translates Mackie HUI and MCU messages for the SQ.',
          'The SQ MixPad app for iPad and Android controls the mixer over Wi-Fi: connect a wireless access point to the Network port.',
          'Set the MIDI channel for scene recall with program change messages in Setup, Control, MIDI.',
        ],
      },
      {
        heading: 'Resetting the mixer',
        paragraphs: [
          'To return the mixer to its default mix settings without erasing your scenes, recall the Reset Mix template from the Scenes screen.',
          'A full factory reset erases all scenes, libraries, user profiles and network settings. Hold the Home key while switching the mixer on, then choose Reset Mixer to Factory Defaults in the start-up menu.',
          'Firmware is updated from a USB drive: copy the firmware file to the drive, insert it into the USB port on the work surface and go to Setup, Utility, Firmware.',
        ],
      },
      {
        heading: 'Troubleshooting',
        paragraphs: [
          'A channel makes no sound: check the input patch in the I/O screen, the channel mute, and that the channel is assigned to the main mix.',
          'Feedback in the monitors: lower the send level of the microphone closest to the wedge, or use the parametric EQ of the mix to cut the ringing frequency.',
          'The iPad app cannot find the mixer: the tablet and the mixer must be on the same network, and the mixer IP address must not be in use by another device.',
          'Noise on a microphone channel: turn off phantom power for dynamic microphones and check the cable.',
        ],
      },
      {
        heading: 'Specifications',
        paragraphs: [
          'Input channels: 48 (mono or stereo). Local microphone inputs: 16. Mixes: 12 stereo groups or auxiliaries, plus main LR.',
          'Internal sample rate: 96 kHz. Latency: under 0.7 ms from local input to local output.',
          'Faders: 25 motorised faders in 4 layers. Screen: 7-inch capacitive touchscreen.',
          'Dimensions: 440 (W) by 500 (D) by 200 (H) mm. Weight: 10 kg.',
        ],
      },
    ],
  },
  {
    productId: 'mackie_60_mcasterlive',
    title: 'Mackie M•Caster Live: Demo Getting Started',
    file: 'mackie-mcaster-live.pdf',
    pages: [
      {
        heading: 'About this guide',
        paragraphs: [
          DISCLAIMER,
          'The M•Caster Live is a portable live-streaming mixer with a microphone input, a Bluetooth input, smartphone connections and a built-in rechargeable battery.',
          'The battery charges over the USB-C port. The power LED glows red while charging and turns green when the battery is full.',
        ],
      },
      {
        heading: 'Connections',
        paragraphs: [
          'Connect your microphone to the combo XLR input. Press the 48V button for condenser microphones; dynamic microphones do not need phantom power.',
          'Connect a smartphone to the phone jack with a four-pole TRRS cable: the mix goes to the phone and the phone audio comes back into the mixer.',
          'Plug headphones into the headphone jack on the front and set their level with the headphone knob.',
          'The USB-C port also carries audio to and from a computer, so the M•Caster Live can be used as a streaming interface.',
        ],
      },
      {
        heading: 'Streaming and effects',
        paragraphs: [
          'Press the Voice FX button to add reverb or pitch effects to the microphone. Hold Voice FX for two seconds to choose the effect type.',
          'The Sound FX pads play short sound clips. To record your own clip on a pad, hold the pad and speak; release to stop the recording.',
          'Press the Mute button to silence the microphone during a stream; the button glows red while muted.',
          'Ducking lowers the music automatically while you speak. Turn it on by holding the Mute button for three seconds.',
        ],
      },
      {
        heading: 'Bluetooth and MIDI',
        paragraphs: [
          'To pair a phone or tablet over Bluetooth, hold the Bluetooth button until its light flashes blue, then choose M-Caster Live on the device.',
          'Bluetooth audio is an input only: it plays into the stream but the mix is not sent back over Bluetooth.',
          'The M•Caster Live has no MIDI connection. Sound FX pads cannot be triggered from a MIDI controller; use the pads on the unit.',
        ],
      },
      {
        heading: 'Resetting to factory settings',
        paragraphs: [
          'A factory reset clears the recorded Sound FX clips, the Bluetooth pairing list and the effect choices.',
          'To reset the mixer: with the unit switched on, hold the Voice FX and Mute buttons together for ten seconds until all lights flash three times.',
          'The M•Caster Live restarts by itself after the reset. Pair your Bluetooth devices again afterwards.',
        ],
      },
      {
        heading: 'Troubleshooting',
        paragraphs: [
          'Echo on the stream: the phone is sending its own audio back. Turn down the phone return knob or use the mix-minus setting.',
          'The microphone is very quiet: check the gain knob and, for a condenser microphone, that 48V phantom power is on.',
          'The unit switches off after a few minutes: the battery is empty. Charge it with a USB-C charger that supplies at least 2 amps.',
          'Bluetooth audio drops out: keep the phone within 10 metres and away from Wi-Fi routers.',
        ],
      },
      {
        heading: 'Specifications',
        paragraphs: [
          'Inputs: 1 combo XLR microphone input with 48V phantom power, 1 stereo line input, 2 TRRS phone connections, Bluetooth 5.0.',
          'Outputs: stereo main output, headphone output. USB-C audio interface: 2 in, 2 out, 48 kHz.',
          'Battery: up to 8 hours of streaming on a full charge. Charging time: about 4 hours.',
          'Dimensions: 165 (W) by 110 (D) by 45 (H) mm. Weight: 0.4 kg.',
        ],
      },
    ],
  },
  {
    productId: 'roland_87-spdsx',
    title: "Roland SPD-SX Sampling Pad: Demo Owner's Notes",
    file: 'roland-spd-sx.pdf',
    pages: [
      {
        heading: 'About this guide',
        paragraphs: [
          DISCLAIMER,
          'The SPD-SX is a sampling pad with nine velocity-sensitive pads, 2 GB of internal memory for your own samples, and inputs for two external pads or a kick trigger.',
          'Place the unit on a stable stand. Do not strike the display or the knobs with a stick.',
        ],
      },
      {
        heading: 'Setting up',
        paragraphs: [
          'Attach the SPD-SX to a stand with the supplied holder, then connect the MASTER OUT jacks to your amplifier or mixer.',
          'External pads and a kick trigger connect to the TRIG IN jacks on the rear panel. Set the trigger type for each input in SYSTEM, Trigger.',
          'Connect the USB port to a computer to import WAV samples with the SPD-SX Wave Manager software.',
          'Press the POWER switch to turn the unit on. The last kit is selected at start-up.',
        ],
      },
      {
        heading: 'Playing samples and kits',
        paragraphs: [
          'A kit assigns one wave to each pad. Turn the VALUE dial to choose one of the 100 kits.',
          'To assign a sample to a pad, press WAVE, strike the pad and select the wave with the VALUE dial.',
          'Loop playback: in the pad settings set Loop to ON, so that the sample repeats until you strike the pad again.',
          'Sampling: connect a source to SUB IN, press SAMPLING, choose a pad and press it to start recording.',
        ],
      },
      {
        heading: 'MIDI',
        paragraphs: [
          'The SPD-SX sends notes from its pads on MIDI channel 10 through the MIDI OUT jack and the USB port.',
          "To trigger its samples from an electronic drum kit, connect the module's MIDI OUT to the SPD-SX MIDI IN and match the note numbers in SYSTEM, MIDI.",
          'Enable Sync to MIDI clock so that loops follow the tempo of an external sequencer.',
        ],
      },
      {
        heading: 'Factory reset',
        paragraphs: [
          'Factory Reset restores the kits and system settings. You can choose whether the samples you imported are erased too.',
          'To run it, press MENU, select UTILITY, then FACTORY RESET, and press the flashing pad 9 to confirm.',
          'Back up your data to a USB flash drive first: MENU, UTILITY, BACKUP saves all kits and samples.',
        ],
      },
      {
        heading: 'Troubleshooting',
        paragraphs: [
          'A pad does not respond or double triggers: adjust the pad sensitivity and threshold in SYSTEM, Pad Sens.',
          'The external kick pad plays too softly: set the trigger type of TRIG IN 1 to KD and raise the sensitivity.',
          'Wave Manager does not find the unit: install the USB driver and select the driver mode VENDOR in SYSTEM, USB.',
          'Samples sound distorted: lower the wave level or reduce the gain of the master compressor.',
        ],
      },
      {
        heading: 'Specifications',
        paragraphs: [
          'Pads: 9 velocity-sensitive pads. Kits: 100. Internal memory: 2 GB for user samples.',
          'Maximum sampling time: about 180 minutes in mono. Sampling frequency: 44.1 kHz, 16 bit.',
          'Connectors: MASTER OUT L/R, SUB OUT L/R, PHONES, SUB IN, TRIG IN 1 and 2, FOOT SW, MIDI IN and OUT, USB.',
          'Dimensions: 372 (W) by 294 (D) by 94 (H) mm. Weight: 2.5 kg.',
        ],
      },
    ],
  },
];

/**
 * Paraphrased questions with the page that holds the answer: the retrieval quality set (bench:manuals)
 * and the citation tests. Worded the way customers ask, deliberately not copying the manual's words.
 */
export const DEMO_QUESTIONS: { productId: string; question: string; page: number }[] = [
  {
    productId: 'roland_87-tr8s',
    question: 'how do I wipe everything and go back to how it was out of the box?',
    page: 5,
  },
  { productId: 'roland_87-tr8s', question: 'which midi channel does it listen on?', page: 4 },
  { productId: 'roland_87-tr8s', question: 'can I sync it to my DAW clock', page: 4 },
  { productId: 'roland_87-tr8s', question: 'how heavy is the TR-8S', page: 7 },
  { productId: 'roland_87-tr8s', question: 'no audio coming out, what should I check', page: 6 },
  { productId: 'roland_87-tr8s', question: 'how do I make the pattern longer than 16 steps', page: 3 },
  { productId: 'roland_87-tr8s', question: 'my own wav files do not show up', page: 6 },
  { productId: 'roland_87-tr8s', question: 'can I use it as a usb audio interface for my computer', page: 2 },
  { productId: 'roland_87-tr8s', question: 'how to install new firmware on the tr8s', page: 5 },
  { productId: 'akai_professional_55_mpclive2', question: 'how long does the battery last', page: 3 },
  { productId: 'akai_professional_55_mpclive2', question: 'restore the mpc to factory image', page: 5 },
  {
    productId: 'akai_professional_55_mpclive2',
    question: 'how do I control my modular synth with control voltage',
    page: 4,
  },
  { productId: 'akai_professional_55_mpclive2', question: 'my usb stick is not recognised', page: 6 },
  { productId: 'akai_professional_55_mpclive2', question: 'how much storage is inside', page: 7 },
  { productId: 'akai_professional_55_mpclive2', question: 'the pads are too sensitive', page: 6 },
  {
    productId: 'akai_professional_55_mpclive2',
    question: 'how do I add notes to a sequence I already recorded',
    page: 3,
  },
  { productId: 'akai_professional_55_mpclive2', question: 'how do I use it with my computer as a controller', page: 2 },
  { productId: 'allen_heath_40_sq5', question: 'how do I reset the sq5 to factory defaults', page: 5 },
  { productId: 'allen_heath_40_sq5', question: 'how many scenes can I save', page: 3 },
  { productId: 'allen_heath_40_sq5', question: 'control it from an ipad', page: 4 },
  { productId: 'allen_heath_40_sq5', question: 'the monitors are feeding back, what do I do', page: 6 },
  { productId: 'allen_heath_40_sq5', question: 'how long can the cable to the stagebox be', page: 2 },
  { productId: 'allen_heath_40_sq5', question: 'what is the latency of the desk', page: 7 },
  { productId: 'allen_heath_40_sq5', question: 'how do I update the firmware from a usb drive', page: 5 },
  { productId: 'allen_heath_40_sq5', question: 'turn on 48v for a condenser mic on the SQ-5', page: 2 },
  { productId: 'mackie_60_mcasterlive', question: 'how do I factory reset the m caster', page: 5 },
  { productId: 'mackie_60_mcasterlive', question: 'how do I connect my phone to it over bluetooth', page: 4 },
  { productId: 'mackie_60_mcasterlive', question: 'people hear an echo on my stream', page: 6 },
  { productId: 'mackie_60_mcasterlive', question: 'how many hours can I stream on battery', page: 7 },
  { productId: 'mackie_60_mcasterlive', question: 'can I trigger the sound pads with midi', page: 4 },
  { productId: 'mackie_60_mcasterlive', question: 'lower the music automatically when I talk', page: 3 },
  { productId: 'mackie_60_mcasterlive', question: 'what cable do I need for my smartphone', page: 2 },
  { productId: 'roland_87-spdsx', question: 'how to factory reset the spd-sx', page: 5 },
  { productId: 'roland_87-spdsx', question: 'what midi channel do the pads send on', page: 4 },
  { productId: 'roland_87-spdsx', question: 'pad triggers twice when I hit it', page: 6 },
  { productId: 'roland_87-spdsx', question: 'how much sampling time does it have', page: 7 },
  { productId: 'roland_87-spdsx', question: 'make a sample repeat until I hit the pad again', page: 3 },
  { productId: 'roland_87-spdsx', question: 'wave manager cannot see the device', page: 6 },
  { productId: 'roland_87-spdsx', question: 'connect an external kick trigger', page: 2 },
  { productId: 'roland_87-spdsx', question: 'how do I back up my kits before a reset', page: 5 },
];
